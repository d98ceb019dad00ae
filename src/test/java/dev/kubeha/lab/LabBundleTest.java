package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.bundle.BundleImages;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.testing.LabAnswers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The air-gapped path end to end: `kubeha bundle` inside the lab against a real registry (Debian's docker-registry,
 * holding tiny images named as kubeadm, flannel and kube-prometheus expect), the lab's signed .deb repository and a
 * release mirror on the jump namespace's loopback holding containerd 2.1.9, runc 1.3.6 and the CNI plugins 1.9.1
 * (repacked from Debian forky by lab/runtime-archives.sh, given in containerRuntimeArchives with their SHA-256);
 * then, with the nodes cut off from the registry and repository by the jump namespace's firewall and the mirror
 * stopped, a bundle with one flipped byte is refused before any host is touched, and `apply --bundle` installs the
 * cluster with containerd 2.1.9 from the bundle (config version 3) and every image imported into it.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabBundleTest {
    static final String REGISTRY = "192.168.233.1:5000";
    static final String REPOSITORY = "http://192.168.233.1:8080/";
    static final String CP1 = "192.168.233.11";
    static final List<String> NODES = List.of(CP1, "192.168.233.12", "192.168.233.21");
    /** The release mirror's address: the jump namespace's own loopback, which no node reaches. */
    static final String MIRROR = "http://127.0.0.1:18080/";
    /** The runtime releases in the mirror's layout (as on their release pages), by their file in the lab cache. */
    static final Map<String, String> RUNTIME_FILES = Map.of(
            "containerd-2.1.9-linux-amd64.tar.gz", "containerd/v2.1.9/containerd-2.1.9-linux-amd64.tar.gz",
            "runc.amd64", "runc/v1.3.6/runc.amd64",
            "cni-plugins-linux-amd64-v1.9.1.tgz", "cni-plugins/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz");
    /** Every lab node's traffic to the jump namespace's registry and repository ports is dropped. */
    static final String CUT_OFF = """
            table inet kubeha_lab_offline {
              chain input {
                type filter hook input priority 0; policy accept;
                iifname "jump0" tcp dport { 5000, 8080 } drop
              }
            }
            """;

    static Path state;
    static Path answers;
    static Path bundle;
    static List<String> images;
    static Process registry;
    static Process mirror;
    static Path runtimeArchives;

    @BeforeAll
    static void bundleMadeInTheLabThenTheNodesCutOff() throws Exception {
        Lab.freshUp();
        state = Files.createTempDirectory("kubeha-bundle-state");
        Path flannel = Files.writeString(state.resolve("kube-flannel.yml"), inRegistry(Files.readString(
                LabAnswers.LAB_YAML.getParent().resolve("fixtures/kube-flannel.yml"))));
        Path prometheus = state.resolve("kube-prometheus.tar.gz");
        Files.write(prometheus, manifestsInRegistry(Files.readAllBytes(Path.of(
                Lab.env().get("KUBEHA_LAB_KUBE_PROMETHEUS_ARCHIVE")))));
        runtimeArchives = Path.of(Lab.env().get("KUBEHA_LAB_RUNTIME_ARCHIVES"));
        String runtime = "containerRuntimeInstall: archive\ncontainerRuntimeArchives:\n"
                + "  containerd: {version: \"2.1.9\", archiveSha256: " + sha256("containerd-2.1.9-linux-amd64.tar.gz")
                + "}\n  runc: {version: \"1.3.6\", archiveSha256: " + sha256("runc.amd64") + "}\n"
                + "  cniPlugins: {version: \"1.9.1\", archiveSha256: " + sha256("cni-plugins-linux-amd64-v1.9.1.tgz")
                + "}\n";
        answers = LabAnswers.copy(state.resolve("answers.yaml"), text -> text
                .replace("imageRepository: registry.k8s.io", "imageRepository: " + REGISTRY)
                .replaceFirst("flannelManifest: \\S+", "flannelManifest: " + flannel)
                .replaceFirst("containerRuntimeInstall: distribution[^\n]*\n", runtime)
                .replace("kubePrometheus: false", "kubePrometheus: true\n  kubePrometheusArchive: " + prometheus));
        ClusterSpec spec = CheckedAnswers.check(answers, LocalDate.now()).validSpec().orElseThrow();
        images = new ArrayList<>(BundleImages.kubeadm(spec));
        images.addAll(BundleImages.inManifest(Files.readString(flannel)));
        images.addAll(BundleImages.inRelease(Files.readAllBytes(prometheus)));
        assertTrue(images.stream().allMatch(i -> i.startsWith(REGISTRY + "/")) && images.size() > 10,
                images.toString());
        registry = startRegistry(state.resolve("registry"), images);

        mirror = startMirror(state.resolve("mirror"));

        bundle = state.resolve("bundle.tar");
        Lab.Result made = Lab.kubeha(state, 600, "bundle", "-f", answers.toString(), "-o", bundle.toString(),
                "--plain-http-registry", "--release-mirror", MIRROR);
        assertEquals(0, made.code(), made.out());
        stop(mirror);
        try (TarFile tar = new TarFile(bundle)) {
            List<String> entries = tar.getEntries().stream().map(TarArchiveEntry::getName).toList();
            for (String release : List.of("releases/containerd/containerd-2.1.9-linux-amd64.tar.gz",
                    "releases/runc/runc-1.3.6.amd64", "releases/cni-plugins/cni-plugins-linux-amd64-v1.9.1.tgz")) {
                assertTrue(entries.contains(release), release + " in " + entries);
            }
        }
        try (Stream<Path> cached = Files.walk(state.resolve("cache"))) {
            cached.filter(Files::isRegularFile).forEach(f -> f.toFile().delete());
        }

        Lab.Result reachable = Lab.onNode(CP1, "curl -sf -m 5 -o /dev/null http://" + REGISTRY + "/v2/"
                + " && curl -sf -m 5 -o /dev/null " + REPOSITORY + " && echo reachable");
        assertEquals("reachable", reachable.out().strip(), "before the cut: " + reachable.out());
        Path rules = Files.writeString(state.resolve("offline.nft"), CUT_OFF);
        Lab.Result cut = Lab.exec(30, "nft", "-f", rules.toString());
        assertEquals(0, cut.code(), cut.out());
    }

    @AfterAll
    static void takeDown() throws Exception {
        try {
            if (mirror != null) {
                stop(mirror);
            }
            if (registry != null) {
                registry.getOutputStream().close();
                if (!registry.waitFor(20, TimeUnit.SECONDS)) {
                    registry.descendants().forEach(ProcessHandle::destroy);
                    registry.destroy();
                }
            }
        } finally {
            Lab.down();
        }
    }

    @Test
    @Order(1)
    void theNodesReachNeitherTheRegistryNorTheRepositoryWhileTheJumpHostStillDoes() {
        for (String node : NODES) {
            Lab.Result r = Lab.onNode(node, "curl -s -m 3 -o /dev/null http://" + REGISTRY + "/v2/; echo registry=$?;"
                    + " curl -s -m 3 -o /dev/null " + REPOSITORY + "; echo repository=$?");
            assertTrue(r.out().contains("registry=") && r.out().contains("repository="), r.out());
            assertFalse(r.out().contains("registry=0") || r.out().contains("repository=0"), node + ": " + r.out());
        }
        assertEquals(0, Lab.exec(30, "curl", "-sf", "-m", "5", "-o", "/dev/null", "http://" + REGISTRY + "/v2/")
                .code());
    }

    @Test
    @Order(2)
    void aBundleWithOneFlippedByteIsRefusedBeforeAnyHostIsTouched() throws Exception {
        Path flipped = state.resolve("flipped.tar");
        Files.copy(bundle, flipped);
        String entry = flipOneByteOfTheFirstImage(flipped);
        Path other = Files.createTempDirectory("kubeha-bundle-flipped");
        int logins = sshLogins(CP1);

        Lab.Result apply = Lab.kubeha(other, 300, "apply", "-f", answers.toString(), "--bundle", flipped.toString(),
                "--yes", "--accept-new-host-keys");

        assertEquals(1, apply.code(), apply.out());
        assertTrue(apply.out().contains(entry + " has SHA-256 ") && apply.out().contains("no host was touched"),
                apply.out());
        assertFalse(apply.out().contains("Exception"), apply.out());
        try (Stream<Path> files = Files.walk(other)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().equals("known_hosts")).toList());
        }
        assertEquals(logins + 1, sshLogins(CP1), "only this check's own login reached cp1");
        for (String node : NODES) {
            Lab.Result r = Lab.onNode(node, "test ! -e /var/lib/kubeha && ! dpkg -s kubeadm >/dev/null 2>&1"
                    + " && echo untouched");
            assertEquals("untouched", r.out().strip(), node + ": " + r.out());
        }
    }

    @Test
    @Order(3)
    void applyInstallsFromTheBundleWithEveryImageInContainerdAndNothingPulled() throws IOException {
        Lab.Result apply = Lab.kubeha(state, 900, "apply", "-f", answers.toString(), "--bundle", bundle.toString(),
                "--yes", "--accept-new-host-keys", "--release-mirror", MIRROR);
        assertEquals(0, apply.code(), apply.out());
        String macvlan = sha256OfPlugin("macvlan");
        for (String node : NODES) {
            Lab.Result runtime = Lab.onNode(node, "command -v containerd runc; containerd --version; runc --version"
                    + " | head -n1; grep -c '^version = 3$' /etc/containerd/config.toml; systemctl is-active kubelet;"
                    + " grep -o 'container-runtime-endpoint=[^ ]*' /var/lib/kubelet/kubeadm-flags.env;"
                    + " crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock info >/dev/null"
                    + " && echo cri=ok");
            List<String> said = runtime.out().lines().map(String::strip).toList();
            assertEquals(8, said.size(), node + ": " + runtime.out());
            assertEquals(List.of("/usr/local/bin/containerd", "/usr/local/sbin/runc"), said.subList(0, 2), node);
            assertTrue(said.get(2).startsWith("containerd github.com/containerd/containerd/v2 2.1.9"), node + ": "
                    + said.get(2));
            assertTrue(said.get(3).startsWith("runc version 1.3.6"), node + ": " + said.get(3));
            assertEquals(List.of("1", "active", "container-runtime-endpoint=unix:///var/run/containerd/containerd.sock",
                    "cri=ok"), said.subList(4, 8), node);
            Lab.Result cni = Lab.onNode(node, "dpkg -S /opt/cni/bin/bridge | cut -d: -f1 && dpkg --verify"
                    + " kubernetes-cni && echo verified && sha256sum </opt/cni/bin/macvlan | cut -c1-64");
            assertEquals(List.of("kubernetes-cni", "verified", macvlan), cni.out().lines().map(String::strip).toList(),
                    node + ": kubernetes-cni's plugins stay as the package installed them, and macvlan, which it"
                    + " lacks, is the release's");

            Lab.Result ls = Lab.onNode(node, "ctr -n k8s.io images ls -q");
            List<String> listed = ls.out().lines().map(String::strip).toList();
            assertEquals(List.of(), images.stream().filter(i -> !listed.contains(i)).toList(), node + ": " + ls.out());
            Lab.Result pulled = Lab.onNode(node, "test ! -e /var/lib/kubeha-lab/images"
                    + " && test ! -e /etc/apt/sources.list.d/kubernetes.list && dpkg-query -W -f='${Version}\\n' kubeadm");
            assertTrue(pulled.out().strip().startsWith("1.36.3-"), node + ": nothing pulled, no repository: "
                    + pulled.out());
        }
        Lab.Result init = Lab.onNode(CP1, "python3 -c 'import json, sys; print(sum(1 for l in open(sys.argv[1])"
                + " if (c := json.loads(l))[\"tool\"] == \"kubeadm\" and c[\"argv\"][:1] == [\"init\"]"
                + " and \"phase\" not in c[\"argv\"] and c[\"exit\"] == 0))' " + LabKubernetesTest.CALLS);
        assertEquals("1", init.out().strip(), "kubeadm init found every image it needs in containerd: " + init.out());
    }

    @Test
    @Order(4)
    void aPullOnACutOffNodeFails() {
        Lab.Result pull = Lab.onNode(NODES.get(2), "kubeadm config images pull --kubernetes-version v1.36.3"
                + " --image-repository " + REGISTRY + " 2>&1; echo exit=$?");
        assertTrue(pull.out().contains("failed to pull image \"" + REGISTRY + "/kube-apiserver:v1.36.3\": dial tcp "
                + REGISTRY) && !pull.out().contains("exit=0"), pull.out());
    }

    static String sha256(String runtimeFile) throws IOException {
        return SourceCache.sha256(runtimeArchives.resolve(runtimeFile));
    }

    /** The SHA-256 of one plugin in the CNI plugins' release. */
    static String sha256OfPlugin(String name) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(
                runtimeArchives.resolve("cni-plugins-linux-amd64-v1.9.1.tgz"))))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals("./" + name)) {
                    return HexFormat.of().formatHex(SourceCache.digest()
                            .digest(in.readAllBytes()));
                }
            }
        }
        throw new AssertionError(name + " is not in the CNI plugins' release");
    }

    /** Serves the runtime releases in a release mirror's layout on the jump namespace's loopback. */
    static Process startMirror(Path dir) throws Exception {
        for (Map.Entry<String, String> f : RUNTIME_FILES.entrySet()) {
            Path target = dir.resolve(f.getValue());
            Files.createDirectories(target.getParent());
            Files.copy(runtimeArchives.resolve(f.getKey()), target);
        }
        Path log = state.resolve("mirror.out");
        Process p = new ProcessBuilder(Lab.SCRIPT.toString(), "exec", "python3", "-m", "http.server", "--bind",
                "127.0.0.1", "--directory", dir.toString(), "18080").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Lab.exec(10, "curl", "-sf", "-m", "2", "-o", "/dev/null", MIRROR + RUNTIME_FILES.get("runc.amd64"))
                .code() != 0) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("the lab's release mirror did not start:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return p;
    }

    static void stop(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
    }

    /** Names every image of a manifest after the lab's registry instead of its public one. */
    static String inRegistry(String yaml) {
        return yaml.replaceAll("(image:\\s*[\"']?|--prometheus-config-reloader=)(ghcr\\.io|quay\\.io|docker\\.io"
                + "|registry\\.k8s\\.io)/", "$1" + REGISTRY + "/");
    }

    /** The kube-prometheus release with its manifests' images named after the lab's registry. */
    static byte[] manifestsInRegistry(byte[] tarGz) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(
                new ByteArrayInputStream(tarGz)));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                if (e.isFile() && e.getName().endsWith(".yaml")) {
                    data = inRegistry(new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                TarArchiveEntry copy = new TarArchiveEntry(e.getName());
                copy.setMode(e.getMode());
                copy.setModTime(e.getModTime());
                if (e.isFile()) {
                    copy.setSize(data.length);
                }
                tar.putArchiveEntry(e.isDirectory() ? new TarArchiveEntry(e.getName().endsWith("/") ? e.getName()
                        : e.getName() + "/") : copy);
                if (e.isFile()) {
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** Flips the middle byte of the bundle's first image archive; returns that archive's path in the bundle. */
    static String flipOneByteOfTheFirstImage(Path tar) throws IOException {
        TarArchiveEntry image;
        try (TarFile file = new TarFile(tar)) {
            image = file.getEntries().stream().filter(e -> e.getName().startsWith("images/")).findFirst()
                    .orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            long at = image.getDataOffset() + image.getSize() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
        return image.getName();
    }

    /** How many SSH logins cp1's sshd has accepted so far (this check's own included). */
    static int sshLogins(String node) {
        Lab.Result r = Lab.onNode(node, "journalctl -q -u ssh.service -o cat | grep -c '^Accepted publickey'");
        return Integer.parseInt(r.out().strip());
    }

    static Process startRegistry(Path dir, List<String> references) throws Exception {
        List<String> command = new ArrayList<>(List.of(Lab.SCRIPT.toString(), "exec", Lab.javaBinary(), "-cp",
                System.getProperty("java.class.path"), LabRegistry.class.getName(), dir.toString(), REGISTRY));
        command.addAll(references);
        Path log = state.resolve("registry.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!Files.readString(log).lines().anyMatch(LabRegistry.READY::equals)) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("the lab registry did not start:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return p;
    }
}
