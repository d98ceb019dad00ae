package dev.kubeha.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.render.RenderedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release archive made by the real tar and gzip, laid out like etcd's, checked and read. */
@Tag("tools")
class ReleaseArchiveTest {
    static final String NAME = "etcd-v3.6.9-linux-amd64.tar.gz";

    @TempDir
    Path dir;
    Path archive;
    byte[] etcd;

    @BeforeEach
    void makeArchive() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("src/etcd-v3.6.9-linux-amd64"));
        etcd = new byte[300_000];
        new Random(7).nextBytes(etcd);
        Files.write(tree.resolve("etcd"), etcd);
        Files.writeString(tree.resolve("etcdctl"), "#!/bin/sh\necho etcdctl\n");
        Files.writeString(tree.resolve("etcdutl"), "#!/bin/sh\necho etcdutl\n");
        Files.writeString(tree.resolve("README.md"), "docs\n");
        Files.createDirectories(dir.resolve("release"));
        archive = dir.resolve("release").resolve(NAME);
        Process tar = new ProcessBuilder("tar", "-C", dir.resolve("src").toString(), "-czf", archive.toString(),
                "etcd-v3.6.9-linux-amd64").inheritIO().start();
        assertEquals(0, tar.waitFor());
    }

    private String sha256() throws IOException {
        return RenderedFile.sha256(Files.readAllBytes(archive));
    }

    @Test
    void membersComeOutWhenTheGivenChecksumMatches() throws IOException {
        Map<String, byte[]> found = ReleaseArchive.extract(archive, sha256(), List.of("etcd", "etcdctl", "etcdutl"));
        assertArrayEquals(etcd, found.get("etcd"));
        assertEquals("#!/bin/sh\necho etcdctl\n", new String(found.get("etcdctl"), StandardCharsets.UTF_8));
    }

    @Test
    void withoutAChecksumTheSha256sumsBesideTheArchiveDecides() throws IOException {
        Files.writeString(archive.resolveSibling("SHA256SUMS"), "0".repeat(64) + "  other.tar.gz\n" + sha256()
                + "  " + NAME + "\n");
        assertEquals(3, ReleaseArchive.extract(archive, "", List.of("etcd", "etcdctl", "etcdutl")).size());
    }

    @Test
    void aWrongChecksumAMissingSumsFileOrAMissingMemberFail() throws IOException {
        StepFailure wrong = assertThrows(StepFailure.class,
                () -> ReleaseArchive.extract(archive, "1".repeat(64), List.of("etcd")));
        assertTrue(wrong.getMessage().contains("SHA-256 is " + sha256() + ", expected " + "1".repeat(64)),
                wrong.getMessage());
        StepFailure noSums = assertThrows(StepFailure.class, () -> ReleaseArchive.extract(archive, "", List.of("etcd")));
        assertTrue(noSums.getMessage().contains("SHA256SUMS: cannot read it"), noSums.getMessage());
        StepFailure missing = assertThrows(StepFailure.class,
                () -> ReleaseArchive.extract(archive, sha256(), List.of("etcd", "etcd-server")));
        assertTrue(missing.getMessage().endsWith("has no file named etcd-server"), missing.getMessage());
    }

    @Test
    void membersUnpackToPrivateFilesWithTheirChecksumAndNothingStaysWhenTheArchiveIsWrong() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Map<String, ReleaseArchive.Member> found = ReleaseArchive.extractTo(archive, sha256(),
                List.of("etcd", "etcdctl"), out);
        ReleaseArchive.Member member = found.get("etcd");
        assertArrayEquals(etcd, Files.readAllBytes(member.file()));
        assertEquals(etcd.length, member.size());
        assertEquals(RenderedFile.sha256(etcd), member.sha256());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(member.file())));
        assertEquals(out.resolve("etcdctl"), found.get("etcdctl").file());

        Path other = Files.createDirectories(dir.resolve("other"));
        assertThrows(StepFailure.class, () -> ReleaseArchive.extractTo(archive, "1".repeat(64), List.of("etcd"), other));
        try (var left = Files.list(other)) {
            assertEquals(0, left.count(), "a member of an archive that failed its check is removed");
        }
    }
}

