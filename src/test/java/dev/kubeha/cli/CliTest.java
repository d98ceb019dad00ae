package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    static CliRunner.Run run(String... args) {
        return CliRunner.run(args);
    }

    @TempDir
    Path dir;

    /** Main returns instead of calling System.exit only when no other non-daemon thread would keep the JVM. */
    @Test
    void aRunningNonDaemonThreadKeepsTheJvm() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().daemon(false).start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(Main.anotherThreadKeepsTheJvm());
        } finally {
            release.countDown();
            worker.join();
        }
    }

    @Test
    void theSystemClockIsAtItsZonesOffsetOfThatMoment() {
        for (String id : List.of("Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin", "America/St_Johns", "UTC")) {
            for (Instant t : List.of(Instant.parse("2026-07-01T23:30:00Z"), Instant.parse("2026-12-05T00:15:00Z"))) {
                Clock clock = Main.systemClock(TimeZone.getTimeZone(id), t);
                assertEquals(ZoneId.of(id).getRules().getOffset(t), clock.getZone(), id + " at " + t);
                assertEquals(LocalDate.ofInstant(t, ZoneId.of(id)), LocalDate.ofInstant(t, clock.getZone()));
            }
        }
        Instant before = Instant.now();
        Instant read = Main.systemClock(TimeZone.getDefault(), before).instant();
        assertFalse(read.isBefore(before), read + " is before " + before);
    }

    @Test
    void resetWithoutConfirmationTouchesNothing() {
        CliRunner.Run r = run("reset", "-f", "assets/examples/guide.yaml", "--state-dir",
                dir.resolve("state").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not confirmed: nothing was changed (type the cluster name 'kubernetes' when"
                + " asked, or pass --yes)"), r.err());
        assertTrue(!r.out().contains("connecting"), r.out());
    }

    @Test
    void validGuideExitsZeroWithItsWarnings() {
        CliRunner.Run r = run("validate", "-f", "assets/examples/guide.yaml");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("assets/examples/guide.yaml:30: warning: network.proxyMode: IPVS is deprecated"),
                r.out());
        assertTrue(r.out().endsWith("assets/examples/guide.yaml: valid, with 0 errors, 2 warnings\n"), r.out());
    }

    @Test
    void errorsExitOneWithFileLineAndPath() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of("assets/examples/guide.yaml"))
                .replace("{name: worker2, address:", "{name: worker2, adress:"));
        CliRunner.Run r = run("validate", "-f", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains(bad + ":17: error: hosts[1].adress: unknown key; did you mean address?"), r.out());
        assertTrue(r.out().contains(bad + ":17: error: hosts[1].address: is required"), r.out());
        assertTrue(r.out().endsWith(bad + ": 2 errors, 2 warnings\n"), r.out());
    }

    @Test
    void jsonOutputIsMachineReadable() {
        CliRunner.Run r = run("validate", "--output=json", "-f", "src/test/resources/bad/vip-is-host.yaml");
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("{\"file\":\"src/test/resources/bad/vip-is-host.yaml\",\"valid\":false,"
                + "\"errors\":1,\"warnings\":2,\"problems\":["), r.out());
        assertTrue(r.out().contains("{\"severity\":\"error\",\"path\":\"loadBalancer.vip\",\"line\":21,\"message\":"
                + "\"10.0.8.12 is the address of hosts[1] (worker2); the VIP must be a free address\"}"), r.out());
    }

    @Test
    void missingFileIsAProblemNotAStackTrace() {
        CliRunner.Run r = run("validate", "-f", dir.resolve("absent.yaml").toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("absent.yaml: error: no such file"), r.out());
        assertFalse((r.out() + r.err()).contains("Exception"));
    }

    @Test
    void usageErrorsExitTwo() {
        CliRunner.Run missing = run("validate");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("kubeha: missing required option: '--file=FILE'"), missing.err());
        assertTrue(missing.err().contains("Try 'kubeha validate --help'."), missing.err());
        CliRunner.Run unknown = run("xyzzy");
        assertEquals(2, unknown.code());
        assertEquals("kubeha: unknown command 'xyzzy'\nTry 'kubeha --help'.\n", unknown.err());
        CliRunner.Run badChoice = run("validate", "-f", "x", "--output", "xml");
        assertEquals(2, badChoice.code());
        assertEquals("kubeha: invalid value for option '--output': 'xml' is not one of text, json"
                + "\nTry 'kubeha validate --help'.\n", badChoice.err());
        assertEquals(2, run("validate", "-f", "x", "-f", "y").code());
        assertEquals(2, run("validate", "-f").code());
        assertEquals(2, run("validate", "stray", "-f", "x").code());
    }

    @Test
    void typosGetSuggestions() {
        CliRunner.Run command = run("valdate", "-f", "x");
        assertEquals(2, command.code());
        assertEquals("kubeha: unknown command 'valdate'\nDid you mean: validate or status?\nTry 'kubeha --help'.\n",
                command.err());
        CliRunner.Run option = run("validate", "-f", "x", "--outptu=json");
        assertEquals(2, option.code());
        assertEquals("kubeha: unknown option: '--outptu=json'\nDid you mean: --output?\n"
                + "Try 'kubeha validate --help'.\n",
                option.err());
        assertEquals("", option.out());
    }

    @Test
    void helpCommandRefusesUnknownCommands() {
        CliRunner.Run r = run("help", "xyzzy");
        assertEquals(2, r.code());
        assertEquals("kubeha: unknown command 'xyzzy'\nTry 'kubeha --help'.\n", r.err());
        assertEquals(run("--help").out(), run("help").out());
    }

    @Test
    void atFilesAreNotExpanded() throws Exception {
        Path args = dir.resolve("args");
        Files.writeString(args, "version\n");
        CliRunner.Run r = run("@" + args);
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("kubeha: unknown command '@" + args + "'\n"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void versionListsSupportedMinorsAndMarksEndOfLife() {
        CliRunner.Run r = run("version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("kubeha "), r.out());
        assertTrue(r.out().contains("1.36        kubeadm.k8s.io/v1beta4   v0.18.0          v0.28.9  2027-06-28"
                + "          2.3.4; 2.3.0+, 2.2.0+\n"), r.out());
        assertTrue(r.out().contains("2026-10-27 (ended)"), r.out());
    }

    @Test
    void helpWorksEverywhere() {
        CliRunner.Run top = run("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().matches("(?s).*\n  validate {3,}Check an answers file offline.*"), top.out());
        assertTrue(top.out().matches("(?s).*\n  upgrade-etcd +Upgrade the external etcd members.*"), top.out());
        assertEquals(top.out(), run("--help", "validate").out());
        assertEquals("kubeha dev\n", run("--version").out());
        assertEquals("kubeha dev\n", run("-V").out());
        assertEquals(run("validate", "--help").out(), run("validate", "-h").out());
        assertEquals(run("validate", "--help").out(), run("help", "validate").out());
        CliRunner.Run r = run("validate", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--output"), r.out());
        CliRunner.Run apply = run("apply", "--help");
        assertTrue(apply.out().contains("\nPhases: os, load-balancer, vip, etcd, "), apply.out());
        assertTrue(apply.out().contains("\nExit codes: 0 everything done and verified, 1 problems or a failed step, 2"),
                apply.out());
        assertEquals(apply.out(), run("help", "apply").out());
    }

    @Test
    void applyTakesTheBarrierScheduleAsAHiddenOption() {
        CliRunner.Run help = run("apply", "--help");
        assertEquals(0, help.code());
        assertFalse(help.out().contains("--schedule"), help.out());
        CliRunner.Run bad = run("apply", "--schedule", "sideways", "-f", "none.yaml");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("option '--schedule': 'sideways' is not one of graph, barrier"), bad.err());
    }

    @Test
    void duplicateKeyIsReportedAtTheDuplicateNamingTheFirst() {
        CliRunner.Run r = run("validate", "-f", "src/test/resources/bad/duplicate-key.yaml");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("duplicate-key.yaml:23: error: loadBalancer.port: duplicate key (first at line 22)"),
                r.out());
    }

    @Test
    void aHostileContainerRuntimeInstallIsRefusedAtItsLineEscapedAndDownloadsNothing() {
        CliRunner.Run r = run("validate", "-f", "src/test/resources/bad/runtime-install-hostile.yaml");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("runtime-install-hostile.yaml:40: error: containerRuntimeInstall: 'archive\\n"
                + "ExecStart=/bin/sh -c id;x' is not one of auto, distribution, archive; did you mean archive?"),
                r.out());
        assertFalse(r.err().contains("apply downloads"), r.err());
    }

    @Test
    void controlCharactersInValuesAreShownEscaped() throws Exception {
        Path bad = dir.resolve("escape.yaml");
        Files.writeString(bad, Files.readString(Path.of("assets/examples/guide.yaml"))
                .replace("{name: worker2,", "{name: \"worker2\\e[2J\\rok\",").replace("port: 16443", "port: \"1\\e]0;x\\a2\""));
        CliRunner.Run r = run("validate", "-f", bad.toString());
        assertEquals(1, r.code());
        assertFalse((r.out() + r.err()).chars().anyMatch(c -> c < 0x20 && c != '\n'), r.out());
        assertTrue(r.out().contains("hosts[1].name: contains the control character \\e"), r.out());
        assertTrue(r.out().contains("'1\\e]0;x\\x072' is not a whole number"), r.out());
    }

    @Test
    void usageErrorsShowArgumentsEscaped() {
        CliRunner.Run r = run("validate", "-f", "x", "--bogus\u001b[2J");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--bogus\\e[2J"), r.err());
        assertFalse(r.err().contains("\u001b"), r.err());
    }
}
