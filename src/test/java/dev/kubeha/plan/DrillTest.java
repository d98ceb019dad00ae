package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.testing.GuideSpecs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrillTest {
    final ClusterSpec spec = GuideSpecs.guide();
    final byte[] ca = "-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.UTF_8);

    private Plan plan(Set<String> drills) {
        return Drill.WORKFLOW.plan(new DrillInput(spec, drills, 5, Optional.of("worker1"), Optional.of("ceph2"), ca));
    }

    /** The drill's script as bash receives it (the command is {@code bash -c 'SCRIPT'}). */
    private static String command(Step step) {
        String command = ((RunCommand) step.operations().get(0)).command();
        assertTrue(command.startsWith("bash -c '") && command.endsWith("'"), command);
        return command.substring("bash -c '".length(), command.length() - 1).replace("'\\''", "'");
    }

    private static void before(String script, String first, String then) {
        int a = script.indexOf(first);
        int b = script.indexOf(then);
        assertTrue(a >= 0 && b > a, "'" + first + "' before '" + then + "' in:\n" + script);
    }

    @Test
    void theHealthGateComesFirstAndOnlyTheChosenDrillsRun() {
        assertEquals(List.of(Drill.HEALTH, Drill.VIP, Drill.ETCD, Drill.CONTROL_PLANE),
                plan(Set.of(Drill.VIP, Drill.ETCD, Drill.CONTROL_PLANE)).phaseNames());
        assertEquals(List.of(Drill.HEALTH, Drill.ETCD), plan(Set.of(Drill.ETCD)).phaseNames());
        Phase vip = plan(Set.of(Drill.VIP)).phases().get(1);
        assertEquals(5, vip.steps().size());
        assertTrue(vip.oneHostAtATime());
        assertEquals(Set.of("worker1"), vip.hosts());
    }

    @Test
    void everyDrillPutsBackWhatItStopsInATrapBeforeStoppingIt() {
        Plan plan = plan(Set.of(Drill.VIP, Drill.ETCD, Drill.CONTROL_PLANE));
        String vip = command(plan.phases().get(1).steps().get(0));
        before(vip, "trap 'systemctl start haproxy' EXIT", "systemctl stop haproxy");
        String etcd = command(plan.phases().get(2).steps().get(0));
        assertEquals("ceph2", plan.phases().get(2).steps().get(0).host(), "the leader");
        before(etcd, "systemctl start etcd' EXIT", "systemctl stop etcd");
        assertTrue(etcd.contains("https://172.21.16.14:2379,https://172.21.16.13:2379"),
                "writes go to the other members: " + etcd);
        String cp = command(plan.phases().get(3).steps().get(0));
        before(cp, "|| mv /etc/kubernetes/kube-apiserver.yaml.kubeha-drill /etc/kubernetes/manifests/"
                + "kube-apiserver.yaml", "mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/");
        before(vip, "trap 'exit 130' HUP INT TERM", "systemctl stop haproxy");
        before(etcd, "trap 'exit 130' HUP INT TERM", "systemctl stop etcd");
        before(cp, "trap 'exit 130' HUP INT TERM", "mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/");
    }

    @Test
    void theHealthGateChecksEveryServiceADrillStops() {
        Phase health = plan(Set.of(Drill.VIP)).phases().get(0);
        String lb = health.stepsOf("worker1").get(0).verify().orElseThrow().command();
        assertTrue(lb.contains("systemctl is-active --quiet haproxy && systemctl is-active --quiet keepalived"), lb);
        assertTrue(lb.contains("--cacert /var/lib/kubeha/drill/ca.crt https://10.0.8.100:16443/healthz"), lb);
        assertTrue(health.steps().stream().anyMatch(s -> s.verify().orElseThrow().command()
                .endsWith("endpoint health --cluster")));
    }

    @Test
    void aDrillWithoutItsTargetIsNotPlanned() {
        assertThrows(IllegalArgumentException.class, () -> Drill.WORKFLOW.plan(new DrillInput(spec,
                Set.of(Drill.VIP), 1, Optional.empty(), Optional.empty(), ca)));
        assertThrows(IllegalArgumentException.class, () -> new DrillInput(spec, Set.of(Drill.VIP), 0,
                Optional.of("worker1"), Optional.empty(), ca));
    }
}
