package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.AppliedTopology;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.testing.GuideSpecs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EtcdVersionChangeTest {
    static ClusterSpec guideOn(String version, EtcdInstall install) {
        ClusterSpec guide = GuideSpecs.withEtcdVersion(GuideSpecs.guide(), version);
        EtcdSpec e = guide.etcd();
        return GuideSpecs.withEtcd(guide, new EtcdSpec(e.version(), e.dataDir(), e.certDir(), e.keyAlgorithm(),
                e.certificateValidityDays(), install, e.archive(), e.archiveSha256(), e.backup()));
    }

    static Optional<AppliedTopology> recordOf(String version) {
        return Optional.of(AppliedTopology.of(guideOn(version, EtcdInstall.ARCHIVE)));
    }

    @Test
    void aRecordedOlderVersionShowsEachMemberTheSnapshotAndTheOrder() {
        ClusterSpec answers = guideOn("3.5.30", EtcdInstall.ARCHIVE);
        assertEquals("""
                etcd version: etcd.version is 3.5.30; the members' versions from the last apply's record:
                  etcd: ceph1 runs 3.5.16, etcd.version is 3.5.30
                  etcd: ceph2 runs 3.5.16, etcd.version is 3.5.30
                  etcd: ceph3 runs 3.5.16, etcd.version is 3.5.30
                  first: an etcd snapshot on ceph1 at /var/lib/kubeha/backups/pre-etcd-upgrade-to-3.5.30.db, copied\
                 to backups/ in the cluster's state directory
                  then one member at a time, each restarted on 3.5.30 and the cluster healthy before the next: ceph1,\
                 ceph2, ceph3
                """, EtcdVersionChange.recorded(recordOf("3.5.16"), answers).orElseThrow().describe());
    }

    @Test
    void nothingIsShownWithoutARecordedVersionOrAChangeOrForEtcdKubehaDoesNotUpgrade() {
        ClusterSpec answers = guideOn("3.5.30", EtcdInstall.ARCHIVE);
        AppliedTopology old = recordOf("3.5.16").orElseThrow();
        AppliedTopology unversioned = new AppliedTopology(old.hosts(), old.vip(), false, false);
        assertEquals(Optional.empty(), EtcdVersionChange.recorded(Optional.empty(), answers));
        assertEquals(Optional.empty(), EtcdVersionChange.recorded(Optional.of(unversioned), answers));
        assertEquals(Optional.empty(), EtcdVersionChange.recorded(recordOf("3.5.30"), answers));
        assertEquals(Optional.empty(), EtcdVersionChange.recorded(recordOf("3.5.16"),
                guideOn("3.5.30", EtcdInstall.PACKAGE)));
    }

    @Test
    void surveyedVersionsNameWhoIsAlreadyThereAndWhoDidNotAnswer() {
        ClusterSpec answers = guideOn("3.5.30", EtcdInstall.ARCHIVE);
        List<String> urls = EtcdUnit.clientUrls(answers);
        String status = urls.get(0) + ", 8e9e05c52164694d, 3.5.16, 20 kB, true, false, 2, 8, 8, \n"
                + urls.get(1) + ", 91bc3c398fb3c146, 3.5.30, 20 kB, false, false, 2, 8, 8, \n";
        String text = EtcdVersionChange.surveyed(answers, status).orElseThrow().describe();
        assertTrue(text.startsWith("etcd version: etcd.version is 3.5.30; the members' versions from etcdctl endpoint"
                + " status:\n  etcd: ceph1 runs 3.5.16, etcd.version is 3.5.30\n  etcd: ceph2 runs 3.5.30 already\n"
                + "  ceph3: version unknown (etcdctl endpoint status has none)\n  first: an etcd snapshot on ceph1"), text);
        assertTrue(text.endsWith(" the cluster healthy before the next: ceph1, ceph2 (not restarted), ceph3\n"), text);
        assertEquals(Optional.empty(), EtcdVersionChange.surveyed(answers, urls.get(0)
                + ", 8e9e05c52164694d, 3.5.30, 20 kB, true, false, 2, 8, 8, \n"));
    }

    @Test
    void aNewerMemberIsNotDowngradedAndNoSnapshotOrOrderIsShown() {
        ClusterSpec answers = guideOn("3.5.16", EtcdInstall.ARCHIVE);
        EtcdVersionChange change = EtcdVersionChange.recorded(recordOf("3.5.30"), answers).orElseThrow();
        assertEquals(List.of("ceph1", "ceph2", "ceph3"), change.newer());
        String text = change.describe();
        assertTrue(text.endsWith("  etcd: ceph3 runs 3.5.30, etcd.version is 3.5.16\n  not downgraded: ceph1, ceph2,"
                + " ceph3 run a newer etcd than 3.5.16, which upgrade-etcd's version check refuses before any member"
                + " changes\n"), text);
        assertTrue(!text.contains("snapshot") && !text.contains("one member at a time"), text);
    }
}
