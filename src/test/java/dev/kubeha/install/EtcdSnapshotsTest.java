package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.exec.FakeHost;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdSnapshotsTest {
    final ClusterSpec spec = GuideSpecs.guide();
    @TempDir
    Path dir;

    private Path write(byte[] content, String cluster) throws Exception {
        Path snapshot = dir.resolve("snap.db");
        Files.write(snapshot, content);
        EtcdSnapshots.Record record = new EtcdSnapshots.Record(cluster, "ceph1", "2026-12-05T02:00:00Z",
                RenderedFile.sha256(content), content.length, 1234, 56, 20480, "3.6.0");
        Files.writeString(EtcdSnapshots.recordOf(snapshot), record.json());
        return snapshot;
    }

    @Test
    void theSnapshotTakenBeforeAnUpgradeIsCopiedToTheJumpHostOnceWithItsRecordAndStaysOnTheMember() throws Exception {
        FakeHost member = new FakeHost("ceph1");
        String remote = "/var/lib/kubeha/backups/pre-upgrade-1.36.3-to-1.37.1.db";
        byte[] content = "etcd snapshot".getBytes(StandardCharsets.UTF_8);
        member.upload(content, remote, 0600, "root");
        member.upload("{\"hash\":1,\"revision\":77,\"totalKey\":9,\"totalSize\":4096}"
                .getBytes(StandardCharsets.UTF_8), remote + ".status.json", 0600, "root");
        StateDir state = StateDir.at(dir.resolve("state"));
        HostSpec memberSpec = spec.hostsWith(Role.ETCD).get(0);
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T03:00:00Z"), ZoneOffset.UTC);

        Path copy = EtcdSnapshots.keepCopy(member, spec, memberSpec, remote, state, clock);

        assertEquals(state.root().resolve("backups/pre-upgrade-1.36.3-to-1.37.1.db"), copy);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        EtcdSnapshots.Checked checked = EtcdSnapshots.check(copy, spec);
        assertEquals(RenderedFile.sha256(content), checked.record().sha256());
        assertEquals(77, checked.record().revision());
        assertTrue(member.read(remote).isPresent(), "the member keeps its copy");
        member.upload("changed".getBytes(StandardCharsets.UTF_8), remote, 0600, "root");
        EtcdSnapshots.keepCopy(member, spec, memberSpec, remote, state, clock);
        assertEquals(RenderedFile.sha256(content), EtcdSnapshots.check(copy, spec).record().sha256(),
                "a resumed run keeps the copy taken before anything changed");
    }

    @Test
    void aSnapshotMatchingItsRecordIsReadBack() throws Exception {
        byte[] content = "etcd".getBytes(StandardCharsets.UTF_8);
        EtcdSnapshots.Checked checked = EtcdSnapshots.check(write(content, spec.cluster().name()), spec);
        assertEquals(1234, checked.record().revision());
        assertEquals(56, checked.record().totalKey());
        assertEquals(RenderedFile.sha256(content), checked.record().sha256());
    }

    @Test
    void aChangedByteIsRefusedNamingBothHashes() throws Exception {
        Path snapshot = write("etcd".getBytes(StandardCharsets.UTF_8), spec.cluster().name());
        Files.writeString(snapshot, "etcD");
        var e = assertThrows(EtcdSnapshots.SnapshotException.class, () -> EtcdSnapshots.check(snapshot, spec));
        assertTrue(e.getMessage().contains("does not match its record") && e.getMessage().contains(
                RenderedFile.sha256("etcD".getBytes(StandardCharsets.UTF_8))), e.getMessage());
    }

    @Test
    void anotherClustersSnapshotOrAMissingRecordIsRefused() throws Exception {
        Path other = write("etcd".getBytes(StandardCharsets.UTF_8), "elsewhere");
        var e = assertThrows(EtcdSnapshots.SnapshotException.class, () -> EtcdSnapshots.check(other, spec));
        assertTrue(e.getMessage().contains("of cluster 'elsewhere'"), e.getMessage());
        Files.delete(EtcdSnapshots.recordOf(other));
        e = assertThrows(EtcdSnapshots.SnapshotException.class, () -> EtcdSnapshots.check(other, spec));
        assertTrue(e.getMessage().contains("snap.db.json"), e.getMessage());
    }
}
