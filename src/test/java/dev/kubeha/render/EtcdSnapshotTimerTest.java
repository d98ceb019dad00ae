package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.Processes;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd.backup's script, service and timer on every member: golden files, refusals, and systemd's own checks. */
class EtcdSnapshotTimerTest {
    static final List<String> ACCEPTED = List.of("daily", "hourly", "weekly", "Mon..Fri *-*-* 03:00:00",
            "*-*-* 00/6:00:00", "Sat,Sun 02:30", "*-*-01 04:00:00 UTC", "2027-01-01", "*:0/15", "Mon *-*-* 23:59:59");
    static final List<String> REFUSED = List.of("daily; reboot", "$(id)", "daily\nExecStartPre=/bin/sh",
            "every day", "%n", "Mon  03:00", " daily", "x".repeat(65), "`id`", "03:00 Europe/Berlin");

    @TempDir
    Path tmp;

    static ClusterSpec withBackup(String schedule, int keep) {
        return GuideSpecs.withBackup(schedule, keep);
    }

    @Test
    void everyEtcdMemberGetsTheScriptServiceAndTimer() {
        List<RenderedFile> files = EtcdSnapshotTimer.render(withBackup("Mon..Fri *-*-* 03:00:00", 5));
        assertEquals(9, files.size());
        Goldens.check("etcd-snapshot-timer", files);
        RenderedFile script = files.get(0);
        assertEquals(0755, script.mode());
        assertTrue(script.text().contains(" --cert=/data/etcd/ssl/server.pem --key=/data/etcd/ssl/server-key.pem "),
                script.text());
        assertTrue(script.text().contains("tail -n +6 | xargs -r rm -f --"), script.text());
        assertEquals(List.of(), EtcdSnapshotTimer.render(GuideSpecs.guide()), "no etcd.backup, no files");
    }

    @Test
    void theValidatorTakesOnlyOnCalendarWordsDatesAndTimesAndKeepFromOneToAHundred() {
        for (String schedule : ACCEPTED) {
            assertEquals(List.of(), errors(withBackup(schedule, 7)), schedule);
        }
        for (String schedule : REFUSED) {
            assertTrue(errors(withBackup(schedule, 7)).stream().anyMatch(p -> p.path().equals(
                    "etcd.backup.schedule")), schedule);
        }
        assertEquals(List.of("etcd.backup.keep"), errors(withBackup("daily", 0)).stream().map(Problem::path).toList());
        assertEquals(List.of("etcd.backup.keep"), errors(withBackup("daily", 101)).stream().map(Problem::path)
                .toList());
        assertEquals(List.of(), errors(withBackup("daily", 100)));
        assertThrows(RenderException.class, () -> EtcdSnapshotTimer.render(withBackup("daily; reboot", 3)));
    }

    @Tag("tools")
    @Test
    void systemdAcceptsEverySchedulePassedAndTheUnitsVerify() throws IOException {
        for (String schedule : ACCEPTED) {
            Processes.Result r = Processes.run(Duration.ofSeconds(30), List.of("systemd-analyze", "calendar",
                    schedule));
            assertEquals(0, r.exitCode(), schedule + ": " + r.output());
        }
        assertNotEquals(0, Processes.run(Duration.ofSeconds(30), List.of("systemd-analyze", "calendar", "25:99"))
                .exitCode(), "what only looks like a time is refused on the host before the timer restarts");
        List<RenderedFile> files = EtcdSnapshotTimer.render(withBackup("Mon..Fri *-*-* 03:00:00", 5));
        Path script = tmp.resolve(EtcdSnapshotTimer.UNIT);
        Files.writeString(script, files.get(0).text());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(0, Processes.run(Duration.ofSeconds(30), List.of("sh", "-n", script.toString())).exitCode());
        Path service = tmp.resolve(EtcdSnapshotTimer.UNIT + ".service");
        Path timer = tmp.resolve(EtcdSnapshotTimer.UNIT + ".timer");
        Files.writeString(service, files.get(1).text().replace(EtcdSnapshotTimer.SCRIPT, script.toString()));
        Files.writeString(timer, files.get(2).text());
        Processes.Result verify = Processes.run(Duration.ofSeconds(60), List.of("systemd-analyze", "verify",
                service.toString(), timer.toString()));
        assertEquals(0, verify.exitCode(), verify.output());
        assertEquals("", verify.output());
    }

    private static List<Problem> errors(ClusterSpec spec) {
        return new SpecValidator(LocalDate.of(2026, 11, 22)).validate(spec).stream().filter(Problem::isError)
                .toList();
    }
}
