package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.ReleaseServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderPlanCommandTest {
    static CliRunner.Run run(String... args) {
        return CliRunner.run(args);
    }

    static final String GUIDE = "assets/examples/guide.yaml";

    @TempDir
    Path dir;

    static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void renderWritesOneTreePerHostTwiceIdentically() throws IOException {
        Path state = dir.resolve("state");
        CliRunner.Run first = run("render", "-f", GUIDE, "-o", dir.resolve("a").toString(), "--state-dir", state.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("facts: worker1: assumed osId, osVersion, kernel"), first.out());
        assertEquals(0, run("render", "-f", GUIDE, "-o", dir.resolve("b").toString(), "--state-dir",
                state.toString()).code());
        Map<String, byte[]> a = tree(dir.resolve("a"));
        Map<String, byte[]> b = tree(dir.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        a.forEach((path, bytes) -> assertArrayEquals(bytes, b.get(path), path));
        assertTrue(a.containsKey("ceph1/etc/systemd/system/etcd.service"));
        assertTrue(a.containsKey("worker1/etc/keepalived/keepalived.conf"));
        assertTrue(a.containsKey("worker2/etc/kubernetes/kubeadm-join.yaml"));
        assertEquals("rw-------", mode(dir.resolve("a/ceph2/data/etcd/ssl/server-key.pem")));
        assertEquals("rwxr-xr-x", mode(dir.resolve("a/worker1/etc/keepalived/check_haproxy.sh")));
        assertEquals("rwx------", mode(dir.resolve("a")));
    }

    @Test
    void noCaPrivateKeyEverReachesAHostTree() throws IOException {
        Path state = dir.resolve("state");
        assertEquals(0, run("render", "-f", GUIDE, "-o", dir.resolve("t").toString(), "--state-dir",
                state.toString()).code());
        List<String> keys;
        try (Stream<Path> walk = Files.walk(state)) {
            keys = walk.filter(p -> p.getFileName().toString().startsWith("ca") && p.toString().endsWith("key.pem"))
                    .map(p -> {
                        try {
                            return Files.readString(p).strip();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        }
        assertEquals(2, keys.size(), "the etcd and the cluster CA keys are in the state directory");
        String clusterCaKey = Files.readString(state.resolve("kubernetes/pki/kubernetes/ca-key.pem")).strip();
        for (Map.Entry<String, byte[]> file : tree(dir.resolve("t")).entrySet()) {
            String text = new String(file.getValue(), StandardCharsets.UTF_8);
            for (String key : keys) {
                boolean allowed = key.equals(clusterCaKey) && file.getKey().equals("worker1/etc/kubernetes/pki/ca.key");
                assertEquals(allowed, text.contains(key), file.getKey());
            }
        }
    }

    @Test
    void planListsThePhasesInOrderWithEveryStepPerHost() {
        CliRunner.Run r = run("plan", "-f", GUIDE, "--state-dir", dir.resolve("state").toString());
        assertEquals(0, r.code(), r.err());
        List<String> phases = r.out().lines().filter(l -> l.startsWith("phase ")).toList();
        assertEquals(List.of("phase 1: os - Prepare the operating systems",
                "phase 2: load-balancer - Load balancer: haproxy and keepalived",
                "phase 3: vip - Check the VIP 10.0.8.100",
                "phase 4: etcd - External etcd: install and configure the members",
                "phase 5: etcd-start - External etcd: start the members together",
                "phase 6: runtime - Container runtime: containerd",
                "phase 7: repository - Kubernetes 1.36.3 package repository, download and crictl",
                "phase 8: packages - Kubernetes packages 1.36.3",
                "phase 9: images - Runtime check and image pre-pull",
                "phase 10: init - Initialise the first control plane worker1 (one host at a time)",
                "phase 11: join-credentials - Join credentials (one host at a time)",
                "phase 12: control-plane-join - Join the other control planes through 10.0.8.100:16443 (one host at a"
                        + " time)",
                "phase 13: network - Pod network: flannel (one host at a time)",
                "phase 14: nodes-ready - Every node Ready (one host at a time)",
                "phase 15: kube-prometheus - kube-prometheus v0.18.0 (one host at a time)",
                "phase 16: verify - Verify the cluster"), phases);
        assertTrue(r.err().contains("note: apply downloads flannel v0.28.9 from"
                + " https://github.com/flannel-io/flannel/releases/download/v0.28.9/kube-flannel.yml into "
                + dir.resolve("state/cache/flannel/kube-flannel-v0.28.9.yml") + "; until then its file is left out"
                + " here"), r.err());
        assertTrue(r.out().contains("    etcd.binary: Install etcd 3.5.24 from the release archive\n"
                + "        install etcd, etcdctl, etcdutl into /usr/local/bin from ~/etcd-v3.5.24-linux-amd64.tar.gz"
                + " (checked against SHA256SUMS beside it)\n"), r.out());
        assertTrue(r.out().contains("        write /etc/keepalived/keepalived.conf (0600 root"), r.out());
        assertTrue(r.err().contains("warning: network.proxyMode: IPVS is deprecated"), r.err());
    }

    @Test
    void planShowsWhatEachPhaseWaitsFor() {
        CliRunner.Run r = run("plan", "-f", GUIDE, "--state-dir", dir.resolve("state").toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().filter(l -> l.startsWith("phase ") || l.startsWith("  waits for: "))
                .toList();
        assertEquals("phase 1: os - Prepare the operating systems", lines.get(0));
        assertTrue(lines.get(1).startsWith("phase 2: "), "os waits for nothing: " + lines.get(1));
        assertEquals(List.of("phase 6: runtime - Container runtime: containerd", "  waits for: os (same host)"),
                lines.subList(lines.indexOf("phase 6: runtime - Container runtime: containerd"),
                        lines.indexOf("phase 6: runtime - Container runtime: containerd") + 2));
        assertTrue(r.out().contains("phase 6: runtime - Container runtime: containerd\n  waits for: os (same host)\n"
                + "  runs in lane runtime, beside the same host's other phases\n"), r.out());
        assertFalse(r.out().contains("phase 1: os - Prepare the operating systems\n  runs in lane"), r.out());
        assertTrue(lines.contains("  waits for: vip (every host), etcd-start (every host), etcd (same host),"
                + " packages (same host), images (same host)"), lines.toString());
        assertEquals("  waits for: runtime (same host), repository (same host)", lines.get(lines.indexOf(
                "phase 9: images - Runtime check and image pre-pull") + 1), "the pull waits for crictl, not kubeadm");
        assertTrue(r.out().contains("phase 9: images - Runtime check and image pre-pull\n  waits for: runtime (same"
                + " host), repository (same host)\n  runs in lane images, beside the same host's other phases\n"),
                r.out());
        assertEquals("  waits for: etcd (each host of this phase)", lines.get(lines.indexOf(
                "phase 5: etcd-start - External etcd: start the members together") + 1));
        assertEquals("  waits for: init (every host)", lines.get(lines.indexOf(
                "phase 13: network - Pod network: flannel (one host at a time)") + 1));
        assertEquals("  waits for: network (every host), control-plane-join (every host), join-credentials (every host),"
                + " packages (every host), images (every host), load-balancer (every host)",
                lines.get(lines.indexOf("phase 14: nodes-ready - Every node Ready (one host at a time)") + 1));
        CliRunner.Run json = run("plan", "-o", "json", "-f", GUIDE, "--state-dir", dir.resolve("state").toString());
        assertTrue(json.out().contains("\"name\":\"images\",\"title\":\"Runtime check and image pre-pull\","
                + "\"oneHostAtATime\":false,\"needs\":[{\"phase\":\"runtime\",\"everyHost\":false,\"scope\":"
                + "\"same-host\"},{\"phase\":\"repository\",\"everyHost\":false,\"scope\":\"same-host\"}],"
                + "\"lane\":\"images\""),
                json.out().substring(0, 300));
    }

    @Test
    void withoutEtcdFieldsTheGuidesTopologyPlansTheEtcdDownloadAndNothingIsFetched() throws IOException {
        String guide = Files.readString(Path.of(GUIDE));
        String withoutEtcd = guide.replaceAll("(?s)\netcd:\n.*?\n(?=[a-z])", "\n");
        assertFalse(withoutEtcd.contains("etcd:"), withoutEtcd);
        Path answers = Files.writeString(dir.resolve("guide-without-etcd.yaml"), withoutEtcd);
        Path state = dir.resolve("state");
        assertEquals(0, run("validate", "-f", answers.toString()).code());
        CliRunner.Run plan = run("plan", "-f", answers.toString(), "--state-dir", state.toString());
        assertEquals(0, plan.code(), plan.err());
        Path cached = state.resolve("cache/etcd/etcd-v3.6.9-linux-amd64.tar.gz");
        assertTrue(plan.out().startsWith("downloads (on this jump host, before any host is touched):\n"
                + "  etcd 3.6.9 linux-amd64\n"
                + "    from https://github.com/etcd-io/etcd/releases/download/v3.6.9/etcd-v3.6.9-linux-amd64.tar.gz\n"
                + "    sha256 633136f13fcadac52e5c0ddcb97912643af6fcb9cb362e75774d0f96f7666396\n"
                + "    cache " + cached + " (not downloaded yet)\n"
                + "  containerd 2.3.4 linux-amd64\n"
                + "    from https://github.com/containerd/containerd/releases/download/v2.3.4/"
                + "containerd-2.3.4-linux-amd64.tar.gz\n"
                + "    sha256 9d68969855fbf676cdb8ed758e420fb048d61f984f61de3e53eddfebe484d168\n"
                + "    cache " + state.resolve("cache/containerd/containerd-2.3.4-linux-amd64.tar.gz")
                + " (not downloaded yet)\n"
                + "  runc 1.4.3 linux-amd64\n"
                + "    from https://github.com/opencontainers/runc/releases/download/v1.4.3/runc.amd64\n"
                + "    sha256 f6ae8efc0fa40079e1475e97cbe9d1bd3f106a28d6af78a11d9f1bd565515e60\n"
                + "    cache " + state.resolve("cache/runc/runc-1.4.3.amd64") + " (not downloaded yet)\n"
                + "  cni-plugins 1.9.1 linux-amd64\n"
                + "    from https://github.com/containernetworking/plugins/releases/download/v1.9.1/"
                + "cni-plugins-linux-amd64-v1.9.1.tgz\n"
                + "    sha256 b98f74a0f8522f0a83867178729c1aa70f2158f90c45a2ca8fa791db1c76b303\n"
                + "    cache " + state.resolve("cache/cni-plugins/cni-plugins-linux-amd64-v1.9.1.tgz")
                + " (not downloaded yet)\n"
                + "  flannel v0.28.9\n"), plan.out());
        assertTrue(plan.out().contains("    etcd.binary: Install etcd 3.6.9 from the release archive downloaded from"
                + " https://github.com/etcd-io/etcd/releases/download/v3.6.9/etcd-v3.6.9-linux-amd64.tar.gz\n"
                + "        install etcd, etcdctl, etcdutl into /usr/local/bin from " + cached
                + " (sha256 633136f13fcadac52e5c0ddcb97912643af6fcb9cb362e75774d0f96f7666396)\n"), plan.out());
        CliRunner.Run json = run("plan", "-o", "json", "-f", answers.toString(), "--state-dir", state.toString());
        assertTrue(json.out().contains("\"downloads\":[{\"component\":\"etcd\",\"version\":\"3.6.9\","
                + "\"arch\":\"amd64\",\"url\":\"https://github.com/etcd-io/etcd/releases/download/v3.6.9/"
                + "etcd-v3.6.9-linux-amd64.tar.gz\",\"sha256\":\"633136f13fcadac52e5c0ddcb97912643af6fcb9cb362e75774d0f96"
                + "f7666396\",\"cache\":\"" + cached + "\",\"cached\":false}"), json.out());
        CliRunner.Run render = run("render", "-f", answers.toString(), "-o", dir.resolve("tree").toString(),
                "--state-dir", state.toString());
        assertEquals(0, render.code(), render.err());
        assertTrue(render.err().contains("note: apply downloads etcd 3.6.9 linux-amd64 from"
                + " https://github.com/etcd-io/etcd/releases/download/v3.6.9/etcd-v3.6.9-linux-amd64.tar.gz into "
                + cached + "\n"), render.err());
        assertFalse(Files.exists(state.resolve("cache")), "validate, plan and render download nothing");
    }

    @Test
    void validateRenderAndPlanSendNoRequestAndNameWhatApplyWouldDownloadFromTheMirror() throws IOException {
        String withoutEtcd = Files.readString(Path.of(GUIDE)).replaceAll("(?s)\netcd:\n.*?\n(?=[a-z])", "\n");
        Path answers = Files.writeString(dir.resolve("guide-without-etcd.yaml"), withoutEtcd);
        Path state = dir.resolve("state");
        try (ReleaseServer server = new ReleaseServer()) {
            String mirror = server.base().toString();
            CliRunner.Run validate = run("validate", "-f", answers.toString(), "--release-mirror", mirror);
            assertEquals(0, validate.code(), validate.err());
            assertTrue(validate.err().contains("note: apply downloads containerd 2.3.4 linux-amd64 from " + mirror
                    + "containerd/v2.3.4/containerd-2.3.4-linux-amd64.tar.gz (sha256 9d68969855fbf676cdb8ed758e420fb0"
                    + "48d61f984f61de3e53eddfebe484d168), for Debian 13 amd64 hosts until it probes them\n"),
                    validate.err());
            assertTrue(validate.err().contains("note: apply downloads runc 1.4.3 linux-amd64 from " + mirror
                    + "runc/v1.4.3/runc.amd64 (sha256 "), validate.err());
            assertTrue(validate.err().contains("note: apply downloads etcd 3.6.9 linux-amd64 from " + mirror
                    + "etcd/v3.6.9/etcd-v3.6.9-linux-amd64.tar.gz"), validate.err());
            CliRunner.Run plan = run("plan", "-f", answers.toString(), "--state-dir", state.toString(),
                    "--release-mirror", mirror);
            assertEquals(0, plan.code(), plan.err());
            assertTrue(plan.out().contains("    from " + mirror + "containerd/v2.3.4/containerd-2.3.4-linux-amd64"
                    + ".tar.gz\n"), plan.out());
            CliRunner.Run render = run("render", "-f", answers.toString(), "-o", dir.resolve("tree").toString(),
                    "--state-dir", state.toString(), "--release-mirror", mirror);
            assertEquals(0, render.code(), render.err());
            assertTrue(render.err().contains("note: apply downloads runc 1.4.3 linux-amd64 from " + mirror
                    + "runc/v1.4.3/runc.amd64 into "), render.err());
            assertEquals(List.of(), server.requests(), "validate, plan and render send no request");
        }
        assertFalse(Files.exists(state.resolve("cache")), "and store nothing in the cache");
    }

    @Test
    void aReleaseMirrorReplacesTheUpstreamPagesAndMustBeAnHttpUrl() {
        CliRunner.Run plan = run("plan", "-f", GUIDE, "--state-dir", dir.resolve("state").toString(),
                "--release-mirror", "http://127.0.0.1:9/releases");
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("    from http://127.0.0.1:9/releases/flannel/v0.28.9/kube-flannel.yml\n"),
                plan.out());
        assertTrue(plan.out().contains("    from http://127.0.0.1:9/releases/kube-prometheus/v0.18.0.tar.gz\n"),
                plan.out());
        CliRunner.Run bad = run("plan", "-f", GUIDE, "--release-mirror", "ftp://127.0.0.1/releases");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("option '--release-mirror': 'ftp://127.0.0.1/releases' is not an http(s) URL"),
                bad.err());
    }

    @Test
    void planJsonCarriesFingerprints() {
        CliRunner.Run r = run("plan", "-o", "json", "-f", GUIDE, "--state-dir", dir.resolve("state").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"phases\":[{\"name\":\"os\",\"title\":\"Prepare the operating systems\","),
                r.out().substring(0, 120));
        assertTrue(r.out().matches("(?s).*\"fingerprint\":\"[0-9a-f]{24}\".*"));
    }

    @Test
    void invalidAnswersStopRenderWithTheirProblems() throws IOException {
        Path bad = Path.of("src/test/resources/bad/vip-is-host.yaml");
        CliRunner.Run r = run("render", "-f", bad.toString(), "-o", dir.resolve("x").toString(), "--state-dir",
                dir.resolve("s").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error: loadBalancer.vip: 10.0.8.12 is the address of hosts[1]"), r.err());
        assertFalse(Files.exists(dir.resolve("x")));
        assertFalse(Files.exists(dir.resolve("s")), "nothing is created for an invalid file");
    }

    @Test
    void aStateDirectoryThatIsNotOursIsOnePlainRefusal() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path root = Files.createDirectory(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("kubernetes"), elsewhere);
        CliRunner.Run r = run("plan", "-f", GUIDE, "--state-dir", root.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("kubeha: state directory " + root.resolve("kubernetes")
                + " is a symbolic link"), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
        assertEquals(1, r.err().lines().filter(l -> !l.startsWith("warning: ")).count(), r.err());
        assertFalse(Files.exists(root.resolve("crash")), "a refusal is not a crash");
    }

    @Test
    void renderOutputMustBeNewOrAnEmptyDirectoryOfOursAndIsNeverChmodded() throws IOException {
        Path state = dir.resolve("state");
        Path existing = Files.createDirectory(dir.resolve("existing"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        CliRunner.Run r = run("render", "-f", GUIDE, "-o", existing.toString(), "--state-dir", state.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("rwxr-xr-x", mode(existing), "an existing directory keeps its mode");

        r = run("render", "-f", GUIDE, "-o", existing.toString(), "--state-dir", state.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(existing + " is not empty"), r.err());

        Path target = Files.createDirectory(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        r = run("render", "-f", GUIDE, "-o", link.toString(), "--state-dir", state.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(link + " is a symbolic link"), r.err());
        try (Stream<Path> files = Files.list(target)) {
            assertEquals(0, files.count());
        }

        Path file = Files.writeString(dir.resolve("file"), "x");
        r = run("render", "-f", GUIDE, "-o", file.toString(), "--state-dir", state.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(file + " is not a directory"), r.err());

        Path fresh = dir.resolve("fresh");
        assertEquals(0, run("render", "-f", GUIDE, "-o", fresh.toString(), "--state-dir", state.toString()).code());
        assertEquals("rwx------", mode(fresh), "a directory kubeha creates is private: it holds keys");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
