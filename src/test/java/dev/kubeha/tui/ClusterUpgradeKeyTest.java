package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.UpgradePath;
import dev.kubeha.testing.GuideSpecs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Cluster screen's upgrade key on Lanterna's in-memory terminal: target asked, refusal shown, change confirmed. */
class ClusterUpgradeKeyTest {
    final ClusterSpec spec = withoutKubePrometheus(GuideSpecs.guide());

    @Test
    void theUpgradeKeyAsksForTheTargetExplainsARefusalAndRunsAfterTheOutlineIsConfirmed() throws Exception {
        List<UpgradePath> ran = Collections.synchronizedList(new ArrayList<>());
        ClusterAction action = ClusterFlow.upgradeAction(spec, path -> () -> {
            ran.add(path);
            return 0;
        });
        try (ClusterScreenDriver screen = new ClusterScreenDriver(spec, List.of(action))) {
            screen.await("u upgrade Kubernetes   q quit");

            screen.type("u");
            screen.await("The cluster runs Kubernetes " + spec.cluster().kubernetesVersion() + ". Upgrade to");
            screen.type("1.38.0");
            screen.enter(2);
            String refused = screen.await("kubeha does not support Kubernetes 1.38");
            assertTrue(refused.contains("upgrade Kubernetes: refused"), refused);
            assertTrue(refused.lines().anyMatch(l -> l.contains("kubeadm upgrades one minor at a time")
                    && !l.contains("1.38")), "one reason a line:\n" + refused);
            screen.enter(1);

            screen.type("u");
            screen.await("Upgrade to (one minor at a time");
            screen.type("1.37.1");
            screen.enter(2);
            String outline = screen.await("Upgrade now?");
            assertTrue(outline.contains("Kubernetes " + spec.cluster().kubernetesVersion() + " -> 1.37.1"), outline);
            assertTrue(outline.contains("etcd snapshot first: ceph1:/var/lib/kubeha/backups/pre-upgrade-"), outline);
            assertTrue(outline.contains("kubeadm upgrade apply v1.37.1 on "), outline);
            assertTrue(outline.contains("cluster.kubernetesVersion set to 1.37.1 in the answers file"), outline);
            assertEquals(List.of(), ran, "nothing runs before Yes");
            screen.enter(1);

            ClusterAction.Chosen upgrade = screen.chosen().orElseThrow();
            assertEquals("upgrade Kubernetes", upgrade.label());
            assertEquals(0, upgrade.run().getAsInt());
            assertEquals("1.37.1", ran.get(0).to().toString());
        }
    }

    static ClusterSpec withoutKubePrometheus(ClusterSpec s) {
        return new ClusterSpec(s.cluster(), s.ssh(), s.hosts(), s.loadBalancer(), s.network(), s.etcd(),
                s.containerRuntime(), new AddonsSpec(false, ""));
    }
}
