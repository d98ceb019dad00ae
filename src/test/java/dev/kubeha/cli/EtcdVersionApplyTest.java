package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.exec.Journal;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.plan.EtcdUpgrade;
import dev.kubeha.plan.Step;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply asks the etcd members for their version only once an earlier run started etcd on one of them. */
class EtcdVersionApplyTest {
    final ClusterSpec spec = GuideSpecs.guide();

    @Test
    void etcdCountsAsStartedOnlyWhenTheStartStepIsJournaledOnAnEtcdMember(@TempDir Path dir) {
        Journal journal = new Journal(dir, Clock.systemUTC());
        assertFalse(EtcdVersionApply.started(spec, journal));
        journal.record(Step.of(EtcdUpgrade.MEMBER_STARTED_STEP, "start", "worker1", List.of()));
        journal.record(Step.of("etcd.binary", "binary", "ceph2", List.of()));
        assertFalse(EtcdVersionApply.started(spec, journal));
        journal.record(Step.of(EtcdUpgrade.MEMBER_STARTED_STEP, "start", "ceph2", List.of()));
        assertTrue(EtcdVersionApply.started(spec, journal));
    }
}
