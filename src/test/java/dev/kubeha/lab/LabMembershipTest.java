package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.LabAnswers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14's membership changes end to end on one install, /healthz through the VIP probed every 200 ms during each:
 * a worker and a third control plane added (haproxy reloaded one load balancer at a time); the worker removed,
 * refused without --allow-removal and held up by a PodDisruptionBudget until it allows the eviction; a third load
 * balancer added (every keepalived's peers updated without moving the VIP); cp1, control plane and VIP holder,
 * removed (the VIP moves once, before its removal); worker1 powered off and removed as unreachable.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabMembershipTest {
    static final String CP1 = "192.168.233.11";
    static final String CP2 = "192.168.233.12";
    static final String LB3 = "192.168.233.31";
    static final String WORKER1 = "192.168.233.21";
    static final String WORKER2 = "192.168.233.22";
    static final String CP1_LINE = "  - {name: cp1, address: \"192.168.233.11\", roles: [control-plane, load-balancer]}\n";
    static final String LB3_LINE = "  - {name: lb3, address: \"192.168.233.31\", roles: [load-balancer]}\n";
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
        ProbedApply apply = probedApply(probes, "apply", "-f", answers.toString(), "--yes", "--accept-new-host-keys");
        assertEquals(0, apply.code(), apply.out());
        noFailedProbe(probes, apply);
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
        assertEquals(0, budget("minAvailable: 2").code(), "a budget that allows no eviction of the workload pods");
        Lab.Result blocked = Lab.kubeha(state, 300, "apply", "-f", answers.toString(), "--yes", "--allow-removal",
                "--drain-timeout", "6s");
        assertEquals(1, blocked.code(), blocked.out());
        assertTrue(blocked.out().contains("kubeha: node worker2 is not drained (kubectl drain gave up after 6 s,"
                + " --drain-timeout): blocked by the PodDisruptionBudgets that allow no disruption now:"
                + " default/workload;"), blocked.out());
        assertEquals(0, Lab.onNode(WORKER2, "test -e /etc/kubernetes/kubelet.conf").code(), "not reset while drained");
        assertEquals(0, budget("maxUnavailable: 1").code(), "the budget allows one eviction");
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

    /** A PodDisruptionBudget named workload over the lab's workload pods (one per worker that is not drained). */
    private static Lab.Result budget(String rule) {
        return Lab.onNode(CP1, "printf '%s\\n' 'apiVersion: policy/v1' 'kind: PodDisruptionBudget' 'metadata: {name:"
                + " workload, namespace: default}' 'spec: {" + rule + ", selector: {matchLabels: {app: lab-workload}}}'"
                + " | " + KUBECTL + " apply -f -");
    }

    /** Each load balancer's keepalived unicast peers, as its configuration lists them. */
    private static String peers(String lb) {
        return Lab.onNode(lb, "sed -n '/unicast_peer {/,/}/p' /etc/keepalived/keepalived.conf | grep -o"
                + " '[0-9][0-9.]*' | xargs").out().strip();
    }

    /** The names of the servers in haproxy's kube-apiserver backend on this load balancer. */
    private static String backends(String lb) {
        return Lab.onNode(lb, "awk '$1 == \"server\" {print $2}' /etc/haproxy/haproxy.cfg | xargs").out().strip();
    }

    /** The Unix times at which this load balancer's keepalived became MASTER since {@code since}. */
    private static List<Long> becameMaster(String lb, long since) {
        Lab.Result log = Lab.onNode(lb, "journalctl -u keepalived -o short-unix --since @" + since
                + " --no-pager | grep 'Entering MASTER STATE' | cut -d. -f1; true");
        return log.out().lines().filter(l -> l.matches("[0-9]+")).map(Long::parseLong).toList();
    }

    private static String vipHolders() {
        StringBuilder out = new StringBuilder();
        for (String lb : List.of(CP1, CP2, LB3)) {
            if (Lab.onNode(lb, "ip -o addr show | grep -qF ' 192.168.233.100/'").code() == 0) {
                out.append(out.isEmpty() ? "" : " ").append(lb);
            }
        }
        return out.toString();
    }

    /**
     * kubeha run while /healthz through the VIP is probed every 200 ms into {@code codes}, and the VIP's MAC address
     * as the jump namespace's neighbour table has it (its holder's, updated by keepalived's gratuitous ARPs) every
     * 200 ms into {@code codes} + ".vip", as "UNIX-TIME MAC" lines.
     */
    /** An apply run beside the /healthz probe, with how long it took. */
    private record ProbedApply(Lab.Result result, Duration took) {
        int code() {
            return result.code();
        }

        String out() {
            return result.out();
        }
    }

    private static ProbedApply probedApply(Path codes, String... args) throws IOException {
        Process probe = Lab.healthzProbe(state, codes);
        Process holder = new ProcessBuilder(Lab.SCRIPT.toString(), "exec", "bash", "-c", "while :; do echo \"$(date"
                + " +%s.%N) $(ip neigh show 192.168.233.100 | awk '{print $5}')\"; sleep 0.2; done")
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(vipLog(codes).toFile()).start();
        long start = System.nanoTime();
        try {
            return new ProbedApply(Lab.kubeha(state, 900, args), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            for (Process p : List.of(probe, holder)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static Path vipLog(Path codes) {
        return codes.resolveSibling(codes.getFileName() + ".vip");
    }

    /** The VIP's holders while the apply ran, by MAC address, each with when it was first seen: one per move. */
    private static List<String[]> vipMoves(Path codes) throws IOException {
        List<String[]> moves = new ArrayList<>();
        for (String line : Files.readAllLines(vipLog(codes))) {
            String[] seen = line.split(" ");
            if (seen.length == 2 && seen[1].matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")
                    && (moves.isEmpty() || !moves.get(moves.size() - 1)[1].equals(seen[1]))) {
                moves.add(seen);
            }
        }
        return moves;
    }

    private static String mac(String node) {
        return Lab.onNode(node, "cat /sys/class/net/host0/address").out().strip();
    }

    /** Every probe answered 200, and the probe kept running the whole apply long. */
    private static void noFailedProbe(Path codes, ProbedApply apply) throws IOException {
        List<String> lines = Files.readAllLines(codes);
        Lab.probedThrough(lines, apply.took(), "apply");
        assertEquals(List.of(), lines.stream().filter(c -> !c.equals("200")).toList(),
                "/healthz through the VIP failed (of " + lines.size() + " probes)");
        System.out.println("LabMembershipTest " + codes.getFileName() + ": " + lines.size() + " probes, 0 failed");
    }

    @Test
    @Order(3)
    void aThirdLoadBalancerJoinsEveryKeepalivedLearnsItOneAtATimeAndTheVipStaysPut() throws IOException {
        Files.writeString(answers, Files.readString(answers).replace(WORKER1_LINE, WORKER1_LINE + LB3_LINE));
        Lab.Result plan = Lab.kubeha(state, 120, "plan", "-f", answers.toString());
        assertTrue(plan.out().contains("  keepalived unicast peers: cp1, cp2 -> cp1, cp2, lb3, reloaded one host at a"
                + " time, the VIP holder last\n"), plan.out());
        assertEquals(CP1, vipHolders());
        long since = System.currentTimeMillis() / 1000;
        Path codes = state.resolve("healthz-lb3.codes");
        ProbedApply apply = probedApply(codes, "apply", "-f", answers.toString(), "--yes", "--accept-new-host-keys");
        assertEquals(0, apply.code(), apply.out());
        noFailedProbe(codes, apply);
        for (String backup : List.of(CP2, LB3)) {
            assertEquals(List.of(), becameMaster(backup, since), backup + ": its keepalived never became MASTER");
        }
        assertEquals(List.of(mac(CP1)), vipMoves(codes).stream().map(m -> m[1]).toList(),
                "the VIP answered from cp1 only, the whole apply long (its keepalived's reload logs MASTER again)");
        assertEquals(CP1, vipHolders(), "the VIP stayed on cp1 and nowhere else");
        assertEquals(List.of("192.168.233.12 192.168.233.31", "192.168.233.11 192.168.233.31",
                "192.168.233.11 192.168.233.12"), List.of(peers(CP1), peers(CP2), peers(LB3)));
        assertEquals("cp1 cp2 cp3", backends(LB3));
        assertEquals(0, Lab.onNode(LB3, "systemctl is-active --quiet haproxy keepalived").code());
    }

    @Test
    @Order(4)
    void cp1TheVipHolderIsRemovedTheVipMovesOnceBeforeAndTheOthersForgetIt() throws IOException {
        Files.writeString(answers, Files.readString(answers).replace(CP1_LINE, ""));
        long since = System.currentTimeMillis() / 1000;
        Path codes = state.resolve("healthz-cp1.codes");
        ProbedApply apply = probedApply(codes, "apply", "-f", answers.toString(), "--yes", "--allow-removal");
        assertEquals(0, apply.code(), apply.out());
        noFailedProbe(codes, apply);
        List<String[]> moves = vipMoves(codes);
        assertEquals(List.of(mac(CP1), mac(CP2)), moves.stream().map(m -> m[1]).toList(),
                "the VIP moved once, from cp1 to cp2");
        assertFalse(becameMaster(CP2, since).isEmpty(), "cp2's keepalived became MASTER");
        assertEquals(List.of(), becameMaster(LB3, since), "lb3 never held the VIP");
        assertEquals(CP2, vipHolders());
        Lab.Result reset = Lab.onNode(CP1, "grep -m1 '\"tool\": \"kubeadm\", \"argv\": \\[\"reset\"'"
                + " /var/lib/kubeha-lab/calls.jsonl");
        Matcher at = Pattern.compile("\"time\": \"([^\"]+)\"").matcher(reset.out());
        assertTrue(at.find(), "kubeadm reset ran on cp1: " + reset.out());
        double movedAt = Double.parseDouble(moves.get(1)[0]);
        assertTrue(movedAt < OffsetDateTime.parse(at.group(1)).toEpochSecond(),
                "the VIP moved (" + movedAt + ") before cp1 was reset (" + at.group(1) + ")");
        assertEquals(1, Lab.onNode(CP1, "test -e /etc/kubernetes/kubelet.conf").code(), "kubeadm reset ran");
        assertNotEquals(0, Lab.onNode(CP1, "systemctl is-active --quiet keepalived").code());
        assertNotEquals(0, Lab.onNode(CP1, "systemctl is-active --quiet haproxy").code());
        Lab.Result nodes = Lab.onNode(CP2, KUBECTL + " get nodes --no-headers");
        assertFalse(nodes.out().contains("cp1"), nodes.out());
        assertEquals(List.of("cp2 cp3", "cp2 cp3"), List.of(backends(CP2), backends(LB3)));
        assertEquals(List.of("192.168.233.31", "192.168.233.12"), List.of(peers(CP2), peers(LB3)));
    }

    @Test
    @Order(5)
    void aPoweredOffWorkerIsRemovedOnlyWhenGivenUpAsUnreachableAndKubehaSaysWhatStaysOnIt() throws IOException {
        Lab.onNode(WORKER1, "systemctl --no-block poweroff");
        for (int i = 0; i < 60 && Lab.exec(10, "timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/" + WORKER1 + "/22")
                .code() == 0; i++) {
            Lab.exec(5, "sleep", "0.5");
        }
        Files.writeString(answers, Files.readString(answers).replace(WORKER1_LINE, ""));
        Lab.Result refused = Lab.kubeha(state, 300, "apply", "-f", answers.toString(), "--yes", "--allow-removal");
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.out().contains("worker1 leaves the cluster: if it is gone for good, apply again with"
                + " --allow-unreachable worker1"), refused.out());
        Path codes = state.resolve("healthz-worker1.codes");
        ProbedApply apply = probedApply(codes, "apply", "-f", answers.toString(), "--yes", "--allow-removal",
                "--allow-unreachable", "worker1");
        assertEquals(0, apply.code(), apply.out());
        noFailedProbe(codes, apply);
        assertTrue(apply.out().contains("warning: worker1 is given up as unreachable: kubeha did not run on it:"
                + " kubeadm reset; Stop the kubelet;"), apply.out());
        Lab.Result nodes = Lab.onNode(CP2, KUBECTL + " get nodes --no-headers");
        assertEquals(List.of("cp2", "cp3"), nodes.out().lines().map(l -> l.split("\\s+")[0]).toList(), nodes.out());
        Lab.Result again = Lab.kubeha(state, 120, "plan", "-f", answers.toString());
        assertTrue(again.out().contains("membership: no host joins, leaves or changes"), again.out());
    }
}
