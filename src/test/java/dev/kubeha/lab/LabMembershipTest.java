package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.LabAnswers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14's membership changes end to end on one install: a worker and a third control plane added through the
 * answers (haproxy reloaded one load balancer at a time, /healthz through the VIP never failing), then the worker
 * removed, refused without --allow-removal.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabMembershipTest {
    static final String CP1 = "192.168.233.11";
    static final String CP2 = "192.168.233.12";
    static final String WORKER2 = "192.168.233.22";
    static final String KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf";
    static final String WORKER1_LINE = "  - {name: worker1, address: \"192.168.233.21\", roles: [worker]}\n";
    static final String SPARES = "  - {name: cp3, address: \"192.168.233.13\", roles: [control-plane]}\n"
            + "  - {name: worker2, address: \"192.168.233.22\", roles: [worker]}\n";

    static Path state;
    static Path answers;

    @BeforeAll
    static void installed() throws IOException {
        Lab.freshUp(Lab.ROOT.resolve("lab/membership.topology"));
        state = Files.createTempDirectory("kubeha-membership-state");
        answers = LabAnswers.copy(state.resolve("answers.yaml"), text -> text);
        assertTrue(Files.readString(answers).contains(WORKER1_LINE));
        Lab.Result apply = Lab.kubeha(state, 900, "apply", "-f", answers.toString(), "--yes",
                "--accept-new-host-keys");
        assertEquals(0, apply.code(), apply.out());
        assertTrue(Files.exists(state.resolve("kubeha-lab/applied-topology.yaml")), "the record is written");
    }

    @AfterAll
    static void takeDown() {
        Lab.down();
    }

    private static String haproxyPids() {
        return Lab.onNode(CP1, "systemctl show -p MainPID --value haproxy").out().strip() + " "
                + Lab.onNode(CP2, "systemctl show -p MainPID --value haproxy").out().strip();
    }

    @Test
    @Order(1)
    void aWorkerAndAThirdControlPlaneJoinAndHaproxyReloadsWithoutAFailedHealthz() throws Exception {
        Files.writeString(answers, Files.readString(answers).replace(WORKER1_LINE, WORKER1_LINE + SPARES));
        Lab.Result plan = Lab.kubeha(state, 120, "plan", "-f", answers.toString());
        assertTrue(plan.out().contains("  joins: cp3 (192.168.233.13, control-plane), worker2 (192.168.233.22,"
                + " worker)\n  haproxy backends: cp1, cp2 -> cp1, cp2, cp3 on cp1, cp2, reloaded one load balancer"
                + " at a time\n"), plan.out());
        String pidsBefore = haproxyPids();
        Path probes = state.resolve("healthz.codes");
        Path ca = state.resolve("kubeha-lab/pki/kubernetes/ca.pem");
        Process probe = new ProcessBuilder(Lab.SCRIPT.toString(), "exec", "bash", "-c", "while :; do curl -s -o"
                + " /dev/null -w '%{http_code}\\n' --max-time 2 --cacert " + ca + " https://192.168.233.100:16443/healthz;"
                + " sleep 0.2; done").redirectErrorStream(true).redirectOutput(probes.toFile()).start();
        Lab.Result apply = Lab.kubeha(state, 900, "apply", "-f", answers.toString(), "--yes",
                "--accept-new-host-keys");
        probe.descendants().forEach(ProcessHandle::destroyForcibly);
        probe.destroyForcibly();
        assertEquals(0, apply.code(), apply.out());
        List<String> codes = Files.readAllLines(probes);
        assertTrue(codes.size() >= 50, "the probe ran through the apply: " + codes.size());
        assertEquals(List.of(), codes.stream().filter(c -> !c.equals("200")).toList(),
                "/healthz through the VIP failed (of " + codes.size() + " probes)");
        assertEquals(pidsBefore, haproxyPids(), "haproxy was reloaded, not restarted");
        for (String lb : List.of(CP1, CP2)) {
            assertEquals(0, Lab.onNode(lb, "grep -q '^    server cp3 192.168.233.13:6443 ' /etc/haproxy/haproxy.cfg")
                    .code(), lb);
        }
        Lab.Result nodes = Lab.onNode(CP1, KUBECTL + " get nodes --no-headers");
        assertEquals(5, nodes.out().lines().filter(l -> l.matches("\\S+\\s+Ready\\s+.*")).count(), nodes.out());
    }

    @Test
    @Order(2)
    void theWorkerIsRemovedOnlyWithAllowRemovalThenDrainedDeletedAndReset() throws IOException {
        Files.writeString(answers, Files.readString(answers).replace(
                "  - {name: worker2, address: \"192.168.233.22\", roles: [worker]}\n", ""));
        Lab.Result refused = Lab.kubeha(state, 120, "apply", "-f", answers.toString(), "--yes");
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.out().contains("refused: the answers remove worker2 (192.168.233.22, worker): removal runs"
                + " only with --allow-removal"), refused.out());
        assertEquals(0, Lab.onNode(WORKER2, "test -e /etc/kubernetes/kubelet.conf").code(), "nothing was touched");
        Lab.Result removed = Lab.kubeha(state, 900, "apply", "-f", answers.toString(), "--yes", "--allow-removal");
        assertEquals(0, removed.code(), removed.out());
        Lab.Result nodes = Lab.onNode(CP1, KUBECTL + " get nodes --no-headers");
        assertFalse(nodes.out().contains("worker2"), nodes.out());
        assertEquals(4, nodes.out().lines().filter(l -> l.matches("\\S+\\s+Ready\\s+.*")).count(), nodes.out());
        assertEquals(1, Lab.onNode(WORKER2, "test -e /etc/kubernetes/kubelet.conf").code(), "kubeadm reset ran");
        assertNotEquals(0, Lab.onNode(WORKER2, "systemctl is-active --quiet kubelet").code(), "the kubelet is stopped");
        Lab.Result again = Lab.kubeha(state, 120, "plan", "-f", answers.toString());
        assertTrue(again.out().contains("membership: no host joins, leaves or changes"), again.out());
    }
}
