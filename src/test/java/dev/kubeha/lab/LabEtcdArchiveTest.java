package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.render.RenderedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 15 on a fresh lab: etcd installed from a release archive that apply downloads from a mirror on 127.0.0.1 in
 * the jump namespace (built from Debian's etcd packages, so its SHA-256 is given in the answers), then a damaged
 * cache entry fetched again.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabEtcdArchiveTest {
    static final String VERSION = "3.5.16";
    static final String FILE = "etcd-v" + VERSION + "-linux-amd64.tar.gz";
    static final String MIRROR = "http://127.0.0.1:18931/";
    static final String UP_TO_ETCD = "os,load-balancer,vip,etcd,etcd-start";
    static final List<String> MEMBERS = List.of("192.168.234.11", "192.168.234.12", "192.168.234.13");

    static Path work;
    static Path answers;
    static Process server;

    @BeforeAll
    static void freshLabAndMirror() throws Exception {
        Lab.freshUp();
        work = Files.createTempDirectory("kubeha-lab-etcd-archive");
        Path archive = buildArchive(work.resolve("mirror/etcd/v" + VERSION));
        String sha256 = RenderedFile.sha256(Files.readAllBytes(archive));
        String lab = Files.readString(Lab.ANSWERS);
        String edited = lab.replaceFirst("(?m)^  install: package.*$", "  install: archive")
                .replaceFirst("(?m)^  archiveSha256: .*$", "  archiveSha256: " + sha256)
                .replaceFirst("(?m)^  flannelManifest: .*$", "  flannelManifest: "
                        + Lab.ROOT.resolve("lab/fixtures/kube-flannel.yml"));
        assertTrue(edited.contains("install: archive") && edited.contains(sha256), edited);
        answers = Files.writeString(work.resolve("lab-archive.yaml"), edited);
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

    /** etcd, etcdctl and etcdutl from the lab's cached Debian packages, laid out like etcd's release archive. */
    static Path buildArchive(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path root = work.resolve("unpacked");
        Path top = root.resolve("etcd-v" + VERSION + "-linux-amd64");
        Files.createDirectories(top);
        try (Stream<Path> debs = Files.list(Path.of("/var/cache/kubeha-lab/apt-archives"))) {
            List<Path> etcd = debs.filter(p -> p.getFileName().toString().matches("etcd-(server|client)_"
                    + VERSION.replace(".", "\\.") + "-.*_amd64\\.deb")).toList();
            assertEquals(2, etcd.size(), "the lab caches Debian's etcd-server and etcd-client " + VERSION);
            for (Path deb : etcd) {
                assertEquals(0, Lab.run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), 60).code());
            }
        }
        for (String binary : List.of("etcd", "etcdctl", "etcdutl")) {
            Files.move(root.resolve("usr/bin/" + binary), top.resolve(binary));
        }
        Path archive = dir.resolve(FILE);
        Lab.Result tar = Lab.run(List.of("tar", "-C", root.toString(), "-czf", archive.toString(),
                top.getFileName().toString()), 120);
        assertEquals(0, tar.code(), tar.out());
        return archive;
    }

    @AfterAll
    static void takeDown() {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
        Lab.down();
    }

    Path cached() {
        return work.resolve("state/cache/etcd/" + FILE);
    }

    @Test
    @Order(1)
    void applyDownloadsTheArchiveFromTheMirrorVerifiesItAndInstallsEtcdFromIt() throws IOException {
        Lab.Result apply = Lab.kubeha(work.resolve("state"), 900, "apply", "-f", answers.toString(), "--yes",
                "--accept-new-host-keys", "--only", UP_TO_ETCD, "--release-mirror", MIRROR);
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
        assertEquals(good, RenderedFile.sha256(Files.readAllBytes(cached())));
    }
}
