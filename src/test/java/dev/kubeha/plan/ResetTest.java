package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.GuideSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResetTest {
    final Plan plan = Reset.WORKFLOW.plan(GuideSpecs.guide());

    @Test
    void kubernetesNodesThenEtcdThenTheLoadBalancerThenHostsEntries() {
        assertEquals(List.of(Reset.KUBERNETES, Reset.ETCD, Reset.LOAD_BALANCER, "reset-hosts"),
                plan.phaseNames());
        assertEquals(List.of("worker1", "worker2"),
                List.copyOf(plan.phases().get(0).hosts()));
        assertEquals(List.of("ceph1", "ceph2", "ceph3"), List.copyOf(plan.phases().get(1).hosts()));
    }

    @Test
    void everyStepChecksFirstAndIgnoresTheJournal() {
        for (Phase phase : plan.phases()) {
            for (Step step : phase.steps()) {
                assertTrue(step.everyRun(), step.id());
                assertTrue(step.operations().stream().allMatch(o -> o instanceof RunCommand r
                        && r.doneWhen().isPresent()), step.id());
            }
        }
    }

    @Test
    void theLeftoversThatBreakReinstallsAreCleaned() {
        String node = KubernetesPhasesTest.describe(plan, "worker1");
        assertTrue(node.contains("kubeadm reset -f --cri-socket unix:///var/run/containerd/containerd.sock"), node);
        assertTrue(node.contains("rm -rf /etc/cni/net.d/* /var/lib/cni /run/flannel"), node);
        assertTrue(node.contains("ip link delete $l"), node);
        assertTrue(node.contains("ip${v}tables-save | grep -vE 'KUBE-|CNI-|FLANNEL' | ip${v}tables-restore"), node);
        assertTrue(node.contains("nft delete table"), node);
        assertTrue(node.contains("ipvsadm --clear"), node);
        String etcd = KubernetesPhasesTest.describe(plan, "ceph1");
        assertTrue(etcd.contains("rm -rf /data/etcd /data/etcd/ssl /etc/systemd/system/etcd.service"), etcd);
        assertTrue(etcd.indexOf("systemctl disable --now kubeha-etcd-snapshot.timer") < etcd.indexOf(
                "systemctl disable --now etcd"), "the snapshot timer goes before etcd: " + etcd);
    }
}
