package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.render.RenderedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issues 15 and 14 on a fresh lab: etcd installed from a release archive that apply downloads from a mirror on
 * 127.0.0.1 in the jump namespace (built by lab.sh from Debian's etcd packages, so its SHA-256 is given in the
 * answers), a damaged cache entry fetched again; then etcd.version changed from trixie's 3.5.16 to forky's 3.5.30 (a
 * local archive: kubeha's checksum table lists upstream's 3.5.30, which this rebuild is not) and apply upgrading the
 * members one at a time after a snapshot while a client writes and reads through them, a second run finding nothing to
 * do, and the way back to 3.5.16 refused.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabEtcdArchiveTest {
    static final String VERSION = "3.5.16";
    static final String NEXT = "3.5.30";
    static final String FILE = file(VERSION);
    static final String MIRROR = "http://127.0.0.1:18931/";
    static final String UP_TO_ETCD = "os,load-balancer,vip,etcd,etcd-start";
    static final List<String> MEMBERS = List.of("192.168.234.11", "192.168.234.12", "192.168.234.13");
    static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    static Path work;
    static Path answers;
    static Path upgraded;
    static Process server;

    @BeforeAll
    static void freshLabAndMirror() throws Exception {
        Lab.freshUp();
        work = Files.createTempDirectory("kubeha-lab-etcd-archive");
        String sha256 = mirrored(VERSION);
        String next = mirrored(NEXT);
        String lab = Files.readString(Lab.ANSWERS);
        String edited = lab.replaceFirst("(?m)^  install: package.*$", "  install: archive")
                .replaceFirst("(?m)^  archiveSha256: .*$", "  archiveSha256: " + sha256)
                .replaceFirst("(?m)^  flannelManifest: .*$", "  flannelManifest: "
                        + Lab.ROOT.resolve("lab/fixtures/kube-flannel.yml"));
        assertTrue(edited.contains("install: archive") && edited.contains(sha256), edited);
        answers = Files.writeString(work.resolve("lab-archive.yaml"), edited);
        Path nextArchive = work.resolve("mirror/etcd/v" + NEXT + "/" + file(NEXT));
        String nextAnswers = edited.replaceFirst("(?m)^  version: \"" + VERSION.replace(".", "\\.") + "\"",
                "  version: \"" + NEXT + "\"").replaceFirst("(?m)^  archive: .*$", "  archive: " + nextArchive)
                .replace(sha256, next);
        assertTrue(nextAnswers.contains("version: \"" + NEXT + "\"") && nextAnswers.contains(next)
                && nextAnswers.contains("archive: " + nextArchive), nextAnswers);
        upgraded = Files.writeString(work.resolve("lab-archive-" + NEXT + ".yaml"), nextAnswers);
        server = new ProcessBuilder(Lab.SCRIPT.toString(), "exec", "/usr/bin/python3", "-m", "http.server",
                "--bind", "127.0.0.1", "18931", "--directory", work.resolve("mirror").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("mirror.log").toFile()).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (Lab.exec(10, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/18931").code() != 0) {
            assertTrue(System.nanoTime() < deadline, "the mirror did not start: " + Files.readString(
                    work.resolve("mirror.log")));
            Thread.sleep(200);
        }
    }

    static String file(String version) {
        return "etcd-v" + version + "-linux-amd64.tar.gz";
    }

    /** lab.sh's etcd release archive of {@code version}, put on the mirror; returns its SHA-256. */
    static String mirrored(String version) throws IOException {
        Lab.Result built = Lab.run(List.of(Lab.SCRIPT.toString(), "etcd-archive", version), 600);
        assertEquals(0, built.code(), built.out());
        Path archive = Path.of(built.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        Path dir = Files.createDirectories(work.resolve("mirror/etcd/v" + version));
        Files.copy(archive, dir.resolve(file(version)));
        return RenderedFile.sha256(Files.readAllBytes(archive));
    }

    @AfterAll
    static void takeDown() throws Exception {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
            server.waitFor();
        }
        Lab.down();
        Lab.removeTree(work);
    }

    /** apply of the phases up to etcd's start with {@code file}, downloading from the mirror. */
    static Lab.Result applyUpToEtcd(Path file, String... more) {
        List<String> args = new ArrayList<>(List.of("apply", "-f", file.toString(), "--yes", "--only", UP_TO_ETCD,
                "--release-mirror", MIRROR));
        args.addAll(List.of(more));
        return Lab.kubeha(work.resolve("state"), 900, args.toArray(String[]::new));
    }

    Path cached() {
        return work.resolve("state/cache/etcd/" + FILE);
    }

    @Test
    @Order(1)
    void applyDownloadsTheArchiveFromTheMirrorVerifiesItAndInstallsEtcdFromIt() throws IOException {
        Lab.Result apply = applyUpToEtcd(answers, "--accept-new-host-keys");
        assertEquals(0, apply.code(), apply.out());
        assertTrue(apply.out().contains(FILE + ": ") && apply.out().contains(" downloaded from " + MIRROR + "etcd/v"
                + VERSION + "/" + FILE + ", SHA-256 verified"), apply.out());
        assertTrue(Files.isRegularFile(cached()), "the archive is in the shared cache");
        for (String member : MEMBERS) {
            Lab.Result etcd = Lab.onNode(member, "/usr/local/bin/etcd --version && systemctl is-active etcd");
            assertEquals(0, etcd.code(), member + ": " + etcd.out());
            assertTrue(etcd.out().contains("etcd Version: " + VERSION), etcd.out());
        }
    }

    @Test
    @Order(2)
    void aDamagedCacheEntryIsFetchedAgain() throws IOException {
        byte[] bytes = Files.readAllBytes(cached());
        String good = RenderedFile.sha256(bytes);
        bytes[bytes.length / 2] ^= 1;
        Files.write(cached(), bytes);
        Lab.Result apply = Lab.kubeha(work.resolve("state"), 600, "apply", "-f", answers.toString(), "--yes",
                "--only", "etcd", "--release-mirror", MIRROR);
        assertEquals(0, apply.code(), apply.out());
        assertTrue(apply.out().contains(" downloaded from " + MIRROR), apply.out());
        assertFalse(apply.out().contains("etcd: etcd1 runs"), apply.out());
        assertEquals(good, RenderedFile.sha256(Files.readAllBytes(cached())));
    }

    @Test
    @Order(3)
    void aNewEtcdVersionInTheAnswersUpgradesTheMembersOneAtATimeAfterASnapshotWithoutLosingQuorum()
            throws Exception {
        Map<String, String> pids = etcdPids();
        Path probes = work.resolve("etcd-probe.log");
        Process probe = etcdProbe(probes);
        long started = System.nanoTime();
        Lab.Result apply;
        try {
            apply = applyUpToEtcd(upgraded);
            Thread.sleep(1000);
        } finally {
            probe.descendants().forEach(ProcessHandle::destroyForcibly);
            probe.destroyForcibly();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, apply.code(), apply.out());
        for (String member : List.of("etcd1", "etcd2", "etcd3")) {
            assertTrue(apply.out().contains("etcd: " + member + " runs " + VERSION + ", etcd.version is " + NEXT),
                    apply.out());
        }
        assertTrue(apply.out().contains("done: every etcd member runs " + NEXT + " and is healthy"), apply.out());

        List<String> lines = Files.readAllLines(probes);
        Map<String, List<String>> outcomes = lines.stream().collect(Collectors.groupingBy(l -> l.contains(" ")
                ? l.split(" ")[1] : l));
        List<String> retried = outcomes.getOrDefault("retried", List.of());
        System.out.printf("etcd probe during the upgrade: %d writes+reads over %.1f s: %d through the first"
                + " endpoint etcdctl chose, %d only through another member, %d through none%n", lines.size(), seconds,
                outcomes.getOrDefault("ok", List.of()).size(), retried.size(),
                lines.size() - outcomes.getOrDefault("ok", List.of()).size() - retried.size());
        retried.forEach(System.out::println);
        Lab.probedThrough(lines, Duration.ofNanos(Math.round(seconds * 1e9)), "upgrade");
        assertEquals(lines.size(), outcomes.getOrDefault("ok", List.of()).size() + retried.size(),
                "a write and its read failed through every member: " + lines);
        assertTrue(retried.size() <= 2 * MEMBERS.size(), "more than two probes per restart needed another member: "
                + retried);

        String snapshot = "/var/lib/kubeha/backups/pre-etcd-upgrade-to-" + NEXT + ".db";
        Path copy = work.resolve("state/kubeha-lab/backups/pre-etcd-upgrade-to-" + NEXT + ".db");
        String record = Files.readString(copy.resolveSibling(copy.getFileName() + ".json"));
        assertTrue(record.contains("\"sha256\":\"" + RenderedFile.sha256(Files.readAllBytes(copy)) + "\""), record);
        assertTrue(apply.out().contains("etcd backup taken before the upgrade: etcd1:" + snapshot + ", copied to "),
                apply.out());

        LocalDateTime previous = once("etcd1", "done etcd.snapshot-once: applied");
        List<String> order = new ArrayList<>(List.of("snapshot " + previous));
        for (String member : List.of("etcd1", "etcd2", "etcd3")) {
            LocalDateTime restarted = once(member, "$ systemctl restart etcd");
            LocalDateTime healthy = once(member, "done etcd.upgrade-restart: applied");
            order.add(member + " restarted " + restarted + ", on " + NEXT + " with the cluster healthy " + healthy);
            assertTrue(previous.isBefore(restarted) && restarted.isBefore(healthy), "not one at a time: " + order);
            previous = healthy;
        }
        System.out.println("etcd upgrade order (kubeha's host logs): " + order);
        Map<String, String> after = etcdPids();
        for (String member : MEMBERS) {
            assertNotEquals(pids.get(member), after.get(member), member + "'s etcd was restarted");
            Lab.Result version = Lab.exec(30, "curl", "-sS", "--max-time", "5", "--cacert", pki("ca.pem").toString(),
                    "--cert", pki("kubeha-etcdctl.pem").toString(), "--key", pki("kubeha-etcdctl-key.pem").toString(),
                    "https://" + member + ":2379/version");
            assertTrue(version.out().contains("\"etcdserver\":\"" + NEXT + "\""), member + ": " + version.out());
        }
    }

    @Test
    @Order(4)
    void aSecondRunFindsNothingToDo() throws IOException {
        Map<String, String> pids = etcdPids();
        Lab.Result apply = applyUpToEtcd(upgraded);
        assertEquals(0, apply.code(), apply.out());
        assertFalse(apply.out().contains("etcd: etcd1 runs"), apply.out());
        Lab.Result resumed = Lab.kubeha(work.resolve("state"), 600, "upgrade-etcd", "-f", upgraded.toString(),
                "--yes", "--release-mirror", MIRROR);
        assertEquals(0, resumed.code(), resumed.out());
        assertTrue(resumed.out().contains("done: every etcd member runs " + NEXT), resumed.out());
        assertEquals(pids, etcdPids(), "no etcd member was restarted again");
        for (String member : List.of("etcd1", "etcd2", "etcd3")) {
            once(member, "$ systemctl restart etcd");
        }
    }

    @Test
    @Order(5)
    void goingBackToTheOlderReleaseIsRefusedBeforeAnythingChanges() throws IOException {
        Map<String, String> pids = etcdPids();
        Lab.Result apply = applyUpToEtcd(answers);
        assertNotEquals(0, apply.code(), apply.out());
        assertTrue(apply.out().contains("runs etcd " + NEXT + ", newer than etcd.version " + VERSION
                + ": etcd is not downgraded"), apply.out());
        assertFalse(apply.out().contains("etcd backup taken before the upgrade")
                || apply.out().contains("etcd backup before the upgrade"), apply.out());
        assertEquals(pids, etcdPids(), "no etcd member was restarted");
        for (String member : MEMBERS) {
            Lab.Result etcd = Lab.onNode(member, "/usr/local/bin/etcd --version; test ! -e"
                    + " /var/lib/kubeha/backups/pre-etcd-upgrade-to-" + VERSION + ".db");
            assertEquals(0, etcd.code(), member + ": " + etcd.out());
            assertTrue(etcd.out().contains("etcd Version: " + NEXT), member + ": " + etcd.out());
        }
    }

    /** The one time kubeha's log of {@code host} shows {@code event} (a line's text after its time stamp). */
    static LocalDateTime once(String host, String event) throws IOException {
        List<LocalDateTime> times = Files.readAllLines(work.resolve("state/kubeha-lab/logs/" + host + ".log"))
                .stream().filter(l -> l.length() > 24 && l.substring(24).startsWith(event))
                .map(l -> LocalDateTime.parse(l.substring(0, 23), LOG_TIME)).toList();
        assertEquals(1, times.size(), host + ": '" + event + "' logged once: " + times);
        return times.get(0);
    }

    /** Each member's etcd process id, as systemd knows it. */
    static Map<String, String> etcdPids() {
        Map<String, String> pids = new LinkedHashMap<>();
        for (String member : MEMBERS) {
            Lab.Result pid = Lab.onNode(member, "systemctl show -p MainPID --value etcd");
            assertEquals(0, pid.code(), member + ": " + pid.out());
            assertTrue(pid.out().strip().matches("[1-9][0-9]*"), member + ": etcd runs: " + pid.out());
            pids.put(member, pid.out().strip());
        }
        return pids;
    }

    /** A file of kubeha's etcd PKI in the state directory (the etcd CA, kubeha's etcdctl client pair). */
    static Path pki(String name) throws IOException {
        try (Stream<Path> files = Files.walk(work.resolve("state"))) {
            return files.filter(p -> p.getFileName().toString().equals(name) && p.getParent().endsWith("pki/etcd"))
                    .findFirst().orElseThrow(() -> new AssertionError("no pki/etcd/" + name + " in the state"));
        }
    }

    /**
     * Writes a new value and reads it back every 200 ms from the jump namespace, with etcdctl of the older release and
     * kubeha's client pair: through every member's client endpoint (etcdctl picks one), and when that fails through
     * each member in turn. One line per probe: "TIME ok", "TIME retried ERRORS" (another member answered) or
     * "TIME fail ERRORS" (no member did: the cluster was unavailable).
     */
    static Process etcdProbe(Path log) throws IOException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Lab.Result unpacked = Lab.run(List.of("tar", "-xzf", work.resolve("mirror/etcd/v" + VERSION + "/" + FILE)
                .toString(), "-C", bin.toString(), "--strip-components=1", "etcd-v" + VERSION + "-linux-amd64/etcdctl"),
                60);
        assertEquals(0, unpacked.code(), unpacked.out());
        return new ProcessBuilder(Lab.SCRIPT.toString(), "exec", "bash", "-c", probeLoop(bin.resolve("etcdctl")
                + " --cacert=" + pki("ca.pem") + " --cert=" + pki("kubeha-etcdctl.pem") + " --key="
                + pki("kubeha-etcdctl-key.pem") + " --dial-timeout=2s --command-timeout=3s", work.resolve(
                "etcd-probe.err"))).redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(log.toFile()).start();
    }

    /** The probe's shell loop around {@code etcdctl} (without endpoints), its errors collected in {@code errors}. */
    static String probeLoop(String etcdctl, Path errors) {
        String all = String.join(",", MEMBERS.stream().map(m -> "https://" + m + ":2379").toList());
        String each = String.join(" || ", MEMBERS.stream().map(m -> "probe https://" + m + ":2379").toList());
        return "probe() { " + etcdctl + " --endpoints=\"$1\" put kubeha-probe \"$i\" >/dev/null 2>>" + errors
                + " && [ \"$(" + etcdctl + " --endpoints=\"$1\" get kubeha-probe --print-value-only 2>>" + errors
                + ")\" = \"$i\" ]; }; i=0; while :; do i=$((i+1)); t=$(date +%s.%N); : >" + errors + ";"
                + " if probe " + all + "; then echo \"$t ok\"; elif " + each + "; then"
                + " echo \"$t retried $(tr '\\n' ' ' <" + errors + ")\"; else echo \"$t fail $(tr '\\n' ' ' <" + errors + ")\"; fi; sleep 0.2; done";
    }
}
