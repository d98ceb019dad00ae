package dev.kubeha.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.EtcdBackup;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.Role;
import dev.kubeha.model.RuntimeArchive;
import dev.kubeha.model.RuntimeArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswersFileTest {
    static final Path GUIDE = Path.of("assets/examples/guide.yaml");
    static final Path MINIMAL = Path.of("assets/examples/minimal.yaml");

    @TempDir
    Path dir;

    static ClusterSpec load(Path file) {
        LoadedAnswers loaded = AnswersFile.load(file);
        assertEquals(List.of(), loaded.problems());
        return loaded.spec().orElseThrow();
    }

    @Test
    void jumpHostPathsRelativeToTheAnswersFileAreMadeAbsolute() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("site"));
        Path file = sub.resolve("answers.yaml");
        Files.writeString(file, Files.readString(MINIMAL).replace("hosts:\n", ""
                + "network:\n  flannelManifest: fixtures/kube-flannel.yml\n"
                + "addons:\n  kubePrometheusArchive: ../kp.tar.gz\nhosts:\n"));
        ClusterSpec spec = load(file);
        assertEquals(sub.resolve("fixtures/kube-flannel.yml").toString(), spec.network().flannelManifest());
        assertEquals(dir.resolve("kp.tar.gz").toString(), spec.addons().kubePrometheusArchive());
    }

    @Test
    void readsTheGuideTopology() {
        ClusterSpec spec = load(GUIDE);
        assertEquals("1.36.3", spec.cluster().kubernetesVersion());
        assertEquals(5, spec.hosts().size());
        assertEquals(new HostSpec("worker1", "10.0.8.6", Set.of(Role.CONTROL_PLANE, Role.LOAD_BALANCER)),
                spec.hosts().get(0));
        assertEquals(List.of("ceph1", "ceph2", "ceph3"), spec.hostsWith(Role.ETCD).stream().map(HostSpec::name).toList());
        assertEquals("10.0.8.100", spec.loadBalancer().vip());
        assertEquals(16443, spec.loadBalancer().port());
        assertEquals(ProxyMode.IPVS, spec.network().proxyMode());
        assertEquals("/data/etcd/ssl", spec.etcd().certDir());
        assertEquals(ContainerRuntime.CONTAINERD, spec.containerRuntime());
        assertFalse(spec.stackedEtcd());
    }

    @Test
    void minimalFileTakesDocumentedDefaults() {
        ClusterSpec spec = load(MINIMAL);
        assertEquals("kubernetes", spec.cluster().name());
        assertEquals("registry.k8s.io", spec.cluster().imageRepository());
        assertEquals("root", spec.ssh().user());
        assertEquals(22, spec.ssh().port());
        assertEquals(16443, spec.loadBalancer().port());
        assertEquals("10.244.0.0/16", spec.network().podSubnet());
        assertEquals("10.96.0.0/12", spec.network().serviceSubnet());
        assertTrue(spec.stackedEtcd());
    }

    @Test
    void loadSaveLoadGivesAnEqualModel() throws IOException {
        for (Path example : List.of(GUIDE, MINIMAL)) {
            ClusterSpec spec = load(example);
            Path saved = dir.resolve(example.getFileName());
            AnswersFile.save(saved, spec);
            assertEquals(spec, load(saved));
        }
    }

    @Test
    void roundTripKeepsOverridesAndAwkwardStrings() throws IOException {
        ClusterSpec base = load(GUIDE);
        ClusterSpec spec = base.withHosts(List.of(
                new HostSpec("cp1", "fd00::11", Set.of(Role.CONTROL_PLANE, Role.LOAD_BALANCER), 2222, "ops",
                        "~/.ssh/key with space"),
                new HostSpec("cp2", "fd00::12", Set.of(Role.CONTROL_PLANE, Role.LOAD_BALANCER, Role.WORKER))));
        Path saved = dir.resolve("v6.yaml");
        AnswersFile.save(saved, spec);
        assertEquals(spec, AnswersFile.load(saved).spec().orElseThrow());
    }

    @Test
    void etcdBackupIsReadWrittenAndReadBackAndItsBadValuesNameTheirLine() throws IOException {
        Path file = dir.resolve("backup.yaml");
        Files.writeString(file, Files.readString(GUIDE).replace("etcd:\n", "etcd:\n  backup: {schedule: \"Mon..Fri"
                + " *-*-* 03:00:00\", keep: 5}\n"));
        ClusterSpec spec = AnswersFile.load(file).spec().orElseThrow();
        assertEquals(new EtcdBackup("Mon..Fri *-*-* 03:00:00", 5), spec.etcd().backup());
        Path saved = dir.resolve("saved.yaml");
        AnswersFile.save(saved, spec);
        assertTrue(Files.readString(saved).contains("  backup: {schedule: \"Mon..Fri *-*-* 03:00:00\", keep: 5}"));
        assertEquals(spec, AnswersFile.load(saved).spec().orElseThrow());
        assertEquals(EtcdBackup.NONE, load(GUIDE).etcd().backup());
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(GUIDE).replace("etcd:\n", "etcd:\n  backup:\n    schedule: daily\n"
                + "    keep: many\n    keeep: 3\n"));
        String problems = CheckedAnswers.check(bad, LocalDate.of(2026, 11, 22)).problems().toString();
        assertTrue(problems.contains("etcd.backup.keep"), problems);
        assertTrue(problems.contains("keeep"), problems);
    }

    @Test
    void containerRuntimeArchivesAreReadWrittenOnlyWhenGivenAndReadBack() throws IOException {
        Path file = dir.resolve("runtime.yaml");
        String sha = "c5f756909e9d4b20c275b491625448fb3792b030b091c3749c0011b79ea3ff12";
        Files.writeString(file, Files.readString(GUIDE) + "containerRuntimeArchives:\n"
                + "  containerd: {version: \"2.1.9\", archive: ~/containerd-2.1.9-linux-amd64.tar.gz,"
                + " archiveSha256: " + sha + "}\n"
                + "  cniPlugins:\n    version: 1.9.1\n");
        ClusterSpec spec = AnswersFile.load(file).spec().orElseThrow();
        assertEquals(new RuntimeArchives(new RuntimeArchive("2.1.9", "~/containerd-2.1.9-linux-amd64.tar.gz", sha),
                RuntimeArchive.PINNED, new RuntimeArchive("1.9.1", "", "")), spec.containerRuntimeArchives());
        Path saved = dir.resolve("saved.yaml");
        AnswersFile.save(saved, spec);
        String text = Files.readString(saved);
        assertTrue(text.contains("\n  containerd: {version: \"2.1.9\","
                + " archive: \"~/containerd-2.1.9-linux-amd64.tar.gz\", archiveSha256: \"" + sha + "\"}\n"
                + "  cniPlugins: {version: \"1.9.1\", archive: \"\", archiveSha256: \"\"}\naddons:"), text);
        assertFalse(text.contains("runc:"), text);
        assertEquals(spec, AnswersFile.load(saved).spec().orElseThrow());
        AnswersFile.save(saved, load(GUIDE));
        assertFalse(Files.readString(saved).contains("containerRuntimeArchives"), "written only when given");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(GUIDE) + "containerRuntimeArchives:\n  crun: {version: 1.0.0}\n"
                + "  runc: {version: 1.3.6, sha256: abc}\n");
        String problems = AnswersFile.load(bad).problems().toString();
        assertTrue(problems.contains("crun") && problems.contains("sha256"), problems);
    }

    @Test
    void saveIsAtomicKeepsTheHeaderAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("answers.yaml");
        Files.writeString(file, "# my lab cluster\n# owner: ops team\n" + Files.readString(MINIMAL)
                .replaceAll("(?m)^#.*\\n", ""));
        AnswersFile.save(file, load(file));
        String text = Files.readString(file);
        assertTrue(text.startsWith("# my lab cluster\n# owner: ops team\napiVersion: kubeha/v1\n"), text);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void newFileGetsTheDefaultHeader() throws IOException {
        Path file = dir.resolve("sub/new.yaml");
        AnswersFile.save(file, load(MINIMAL));
        assertTrue(Files.readString(file).startsWith(AnswersWriter.DEFAULT_HEADER));
    }

    @Test
    void savedFileHoldsNoSecretField() throws IOException {
        Path file = dir.resolve("a.yaml");
        AnswersFile.save(file, load(GUIDE));
        Pattern secretKey = Pattern.compile(
                "(?im)^[\\s-]*[{]?.*\\b(password|passphrase|token|certificatekey|auth_pass|key)\\s*:");
        assertFalse(secretKey.matcher(Files.readString(file)).find());
    }

    @Test
    void linesPointAtTheFieldOrItsNearestWrittenParent() {
        LoadedAnswers loaded = AnswersFile.load(GUIDE);
        assertEquals(17, loaded.sourceMap().lineOf("hosts[1].address").getAsInt());
        assertEquals(22, loaded.sourceMap().lineOf("loadBalancer.vip").getAsInt());
        assertEquals(21, loaded.sourceMap().lineOf("loadBalancer.vrrp").getAsInt());
    }

    @Test
    void missingFileAndBinaryFileAreClearProblems() throws IOException {
        assertEquals("no such file", AnswersFile.load(dir.resolve("nope.yaml")).problems().get(0).message());
        Path binary = dir.resolve("bin.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        assertEquals("the file is not UTF-8 text", AnswersFile.load(binary).problems().get(0).message());
    }

    @Test
    void scalarsThatYamlWouldRetypeAreQuoted() {
        assertEquals("\"true\"", AnswersWriter.scalar("true"));
        assertEquals("\"1.36\"", AnswersWriter.scalar("1.36"));
        assertEquals("\"\"", AnswersWriter.scalar(""));
        assertEquals("\"a: b\"", AnswersWriter.scalar("a: b"));
        assertEquals("registry.k8s.io", AnswersWriter.scalar("registry.k8s.io"));
    }

    @Test
    void aDeviceOrAFifoIsRefusedAsNotARegularFileWithoutReadingIt() throws Exception {
        Path fifo = dir.resolve("answers.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        for (Path input : List.of(Path.of("/dev/zero"), fifo, dir)) {
            LoadedAnswers loaded = Assertions.assertTimeoutPreemptively(
                    Duration.ofSeconds(10), () -> AnswersFile.load(input));
            assertTrue(loaded.spec().isEmpty());
            assertEquals(1, loaded.problems().size(), loaded.problems().toString());
            assertTrue(loaded.problems().get(0).text().contains("not a regular file"), loaded.problems().toString());
        }
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), GUIDE.toAbsolutePath());
        assertEquals(List.of(), AnswersFile.load(link).problems(), "a link to an answers file is followed");
    }

    @Test
    void aFileLargerThanOneMebibyteIsRefusedBeforeItIsParsed() throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat(1 << 20) + "\n");
        LoadedAnswers loaded = AnswersFile.load(big);
        assertTrue(loaded.problems().get(0).text().contains("larger than 1 MiB"), loaded.problems().toString());
    }

    @Test
    void thePinnedSigningKeySurvivesSavingAndLoading() throws IOException {
        ClusterSpec lab = load(Path.of("lab/lab.yaml"));
        assertEquals("770A5A11914AE2052F38DF29B9D5FECE9CBA154E", lab.cluster().packageRepositoryKeyFingerprint());
        Path saved = dir.resolve("saved.yaml");
        AnswersFile.save(saved, lab);
        assertTrue(Files.readString(saved).contains(
                "  packageRepositoryKeyFingerprint: 770A5A11914AE2052F38DF29B9D5FECE9CBA154E"), Files.readString(saved));
        assertEquals(lab.cluster(), load(saved).cluster());
    }
}
