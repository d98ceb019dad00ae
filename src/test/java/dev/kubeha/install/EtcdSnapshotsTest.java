package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.testing.GuideSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
