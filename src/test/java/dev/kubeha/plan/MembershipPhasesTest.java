package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.AppliedTopology;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an apply plans for hosts that join or leave a cluster whose topology was recorded. */
class MembershipPhasesTest {
    private static final ClusterSpec GUIDE = GuideSpecs.guide();
    private static final HostSpec CP3 = new HostSpec("cp3", "10.0.8.31", Set.of(Role.CONTROL_PLANE));
    private static final HostSpec W1 = new HostSpec("w1", "10.0.8.30", Set.of(Role.WORKER));
    private static final HostSpec LB3 = new HostSpec("lb3", "10.0.8.32", Set.of(Role.LOAD_BALANCER));

    @TempDir
    Path dir;

    private static ClusterSpec with(ClusterSpec spec, HostSpec... more) {
        List<HostSpec> hosts = new ArrayList<>(spec.hosts());
        hosts.addAll(List.of(more));
        return spec.withHosts(hosts);
    }

    private Plan plan(Optional<ClusterSpec> before, ClusterSpec after) {
        return plan(before, after, MembershipOptions.DEFAULT);
    }

    private Plan plan(Optional<ClusterSpec> before, ClusterSpec after, MembershipOptions options) {
        PlanInput in = PhaseTable.input(after, OsFamily.DEBIAN, dir, AddonFiles.NONE);
        Map<String, HostFacts> facts = new HashMap<>(in.facts());
        before.ifPresent(b -> facts.putAll(PhaseTable.facts(b, OsFamily.DEBIAN)));
        return Install.WORKFLOW.plan(new PlanInput(in.spec(), facts, in.files(), in.sources(), in.bundle(),
                ClusterChange.between(before.map(AppliedTopology::of), after), options));
    }

    private static String command(Step step) {
        return step.operations().stream().filter(o -> o instanceof RunCommand).map(o -> ((RunCommand) o).command())
                .findFirst().orElseThrow();
    }

    private static List<String> steps(Plan plan, String phase) {
        return plan.phases().stream().filter(p -> p.name().equals(phase)).flatMap(p -> p.steps().stream())
                .map(s -> s.host() + " " + s.id()).toList();
    }

    @Test
    void withoutARecordTheLoadBalancersAreConfiguredTogetherAndNothingIsRemoved() {
        Plan plan = plan(Optional.empty(), with(GUIDE, CP3));
        assertEquals(List.of("worker1 lb.packages", "worker1 lb.haproxy", "worker1 lb.keepalived",
                "worker2 lb.packages", "worker2 lb.haproxy", "worker2 lb.keepalived"), steps(plan, "load-balancer"));
        for (String phase : List.of("release-vip", "update-load-balancers", "drain-nodes", "remove-hosts",
                "delete-nodes")) {
            assertFalse(plan.phaseNames().contains(phase), phase);
        }
    }

    @Test
    void anAddedControlPlaneReachesHaproxyOneLoadBalancerAtATimeAfterItJoinedTheVipHolderLast() {
        Plan plan = plan(Optional.of(GUIDE), with(GUIDE, CP3));
        assertEquals(List.of("worker1 lb.packages", "worker2 lb.packages"), steps(plan, "load-balancer"),
                "a kept load balancer keeps its configuration until the new control plane has joined");
        Phase update = KubernetesPhasesTest.phase(plan, "update-load-balancers");
        assertTrue(update.oneHostAtATime());
        assertEquals(List.of("everywhere control-plane-join"), update.needs().stream()
                .filter(n -> n.phase().equals("control-plane-join")).map(n -> "everywhere " + n.phase()).toList());
        assertEquals(List.of("worker2 membership.haproxy", "worker2 membership.keepalived",
                "worker1 membership.haproxy", "worker1 membership.keepalived"), steps(plan, "update-load-balancers"));
        Step haproxy = update.steps().get(0);
        assertEquals(List.of("write /etc/haproxy/haproxy.cfg", "haproxy -c -q -f /etc/haproxy/haproxy.cfg"
                + " && systemctl reload haproxy"), haproxy.operations().subList(0, 2).stream()
                .map(o -> o instanceof RunCommand r ? r.command() : o.describe().replaceFirst(" \\(.*", "")).toList());
        String verify = haproxy.verify().orElseThrow().command();
        assertTrue(verify.startsWith("curl -ksf --max-time 2 -o /dev/null https://10.0.8.100:16443/healthz"
                + " && curl -ksf --max-time 2 -o /dev/null https://127.0.0.1:16443/healthz && p=$(sed -n"), verify);
        assertFalse(verify.contains(PhaseTable.SECRETS.haproxyStatsPassword()), "the stats password stays on the host");
        assertTrue(verify.contains("stats;csv"), verify);
        String keepalived = update.steps().get(1).operations().stream().filter(o -> o instanceof RunCommand)
                .map(o -> ((RunCommand) o).command()).findFirst().orElseThrow();
        assertTrue(keepalived.contains("systemctl reload keepalived") && !keepalived.contains("restart"), keepalived);
        assertTrue(keepalived.contains("the VIP moved when keepalived reloaded here"), keepalived);
        assertTrue(plan.phaseNames().indexOf("update-load-balancers") > plan.phaseNames().indexOf("control-plane-join"));
    }

    @Test
    void anAddedLoadBalancerStartsKeepalivedOnlyOnceEveryOtherKeepalivedLearnedItsPeer() {
        Plan plan = plan(Optional.of(GUIDE), with(GUIDE, LB3));
        assertEquals(List.of("worker1 lb.packages", "worker2 lb.packages", "lb3 lb.packages", "lb3 lb.haproxy"),
                steps(plan, "load-balancer"), "no keepalived on lb3 while no peer sends it adverts");
        assertEquals(List.of("worker2 membership.haproxy", "worker2 membership.keepalived",
                "worker1 membership.haproxy", "worker1 membership.keepalived", "lb3 membership.keepalived-join"),
                steps(plan, "update-load-balancers"));
        Step join = KubernetesPhasesTest.phase(plan, "update-load-balancers").steps().get(4);
        assertEquals(List.of("write /etc/keepalived/check_haproxy.sh", "write /etc/keepalived/keepalived.conf"),
                join.operations().subList(0, 2).stream().map(o -> o.describe().replaceFirst(" \\(.*", "")).toList());
        assertTrue(command(join).contains("systemctl restart keepalived || exit 1; sleep 5; ! ip -o addr show | grep"
                + " -qw 'inet6\\? 10.0.8.100/[0-9]*' || { echo \"keepalived took the VIP here"), command(join));
        assertTrue(join.verify().orElseThrow().command().contains("https://10.0.8.100:16443/healthz"));
    }

    @Test
    void aFreshInstallStartsKeepalivedOnEveryLoadBalancerInItsPhase() {
        assertEquals(List.of("worker1 lb.packages", "worker1 lb.haproxy", "worker1 lb.keepalived",
                "worker2 lb.packages", "worker2 lb.haproxy", "worker2 lb.keepalived", "lb3 lb.packages",
                "lb3 lb.haproxy", "lb3 lb.keepalived"), steps(plan(Optional.empty(), with(GUIDE, LB3)), "load-balancer"));
    }

    @Test
    void theDrainTimeoutIsTheOperatorsAndABlockedDrainNamesTheNodeAndTheBudgets() {
        Plan plan = plan(Optional.of(with(GUIDE, W1)), GUIDE,
                new MembershipOptions(Duration.ofSeconds(90), Set.of()));
        Step drain = KubernetesPhasesTest.phase(plan, "drain-nodes").steps().get(0);
        assertEquals("kubectl drain w1 (fails after 90 s)", drain.title());
        assertEquals(Duration.ofSeconds(150), drain.timeout());
        assertTrue(command(drain).startsWith("n=w1; kubectl --kubeconfig /etc/kubernetes/admin.conf drain \"$n\""
                + " --ignore-daemonsets --delete-emptydir-data --timeout=90s || { rc=$?;"), command(drain));
        assertFalse(command(drain).contains("skip-wait"), command(drain));
    }

    @Test
    void anUnreachableWorkerIsDrainedAndDeletedThroughTheApiAndNothingRunsOnIt() {
        Plan plan = plan(Optional.of(with(GUIDE, W1)), GUIDE, new MembershipOptions(Duration.ofMinutes(5),
                Set.of("w1")));
        assertTrue(plan.phases().stream().flatMap(p -> p.steps().stream()).noneMatch(st -> st.host().equals("w1")),
                plan.phaseNames().toString());
        assertEquals(List.of("worker1 membership.drain.w1"), steps(plan, "drain-nodes"));
        Step drain = KubernetesPhasesTest.phase(plan, "drain-nodes").steps().get(0);
        assertTrue(command(drain).contains(" --timeout=300s --skip-wait-for-delete-timeout=1 || "), command(drain));
        assertEquals("kubectl drain w1 (unreachable: its pods' ends are not waited for) (fails after 5 min)",
                drain.title());
        assertEquals(List.of("worker1 membership.delete-node.w1"), steps(plan, "delete-nodes"));
        assertFalse(plan.phaseNames().contains("remove-hosts"), plan.phaseNames().toString());
        assertEquals(Map.of("w1", List.of("kubeadm reset", "Stop the kubelet",
                "Remove the CNI configuration, state and links (cni0, flannel.1)",
                "Remove kube-proxy's and flannel's iptables chains, keep every other rule")),
                Map.of("w1", Install.notCleaned(GUIDE, ClusterChange.between(Optional.of(AppliedTopology.of(
                        with(GUIDE, W1))), GUIDE), new MembershipOptions(Duration.ofMinutes(5), Set.of("w1")))
                        .get("w1").subList(0, 4)));
        assertEquals(Map.of(), Install.notCleaned(GUIDE, ClusterChange.between(Optional.of(AppliedTopology.of(
                with(GUIDE, W1))), GUIDE), MembershipOptions.DEFAULT));
    }

    @Test
    void anUnreachableLoadBalancerIsNotStoppedTheVipIsCheckedFromAKeptOne() {
        Plan plan = plan(Optional.of(with(GUIDE, LB3)), GUIDE, new MembershipOptions(Duration.ofMinutes(5),
                Set.of("lb3")));
        assertEquals(List.of("worker1 membership.vip-without.lb3"), steps(plan, "release-vip"));
        Step vip = KubernetesPhasesTest.phase(plan, "release-vip").steps().get(0);
        assertEquals(List.of(), vip.operations());
        assertEquals("curl -ksf --max-time 2 -o /dev/null https://10.0.8.100:16443/healthz",
                vip.verify().orElseThrow().command());
        assertFalse(plan.phaseNames().contains("remove-hosts"), plan.phaseNames().toString());
        assertEquals(List.of("worker2 membership.haproxy", "worker2 membership.keepalived",
                "worker1 membership.haproxy", "worker1 membership.keepalived"), steps(plan, "update-load-balancers"));
    }

    @Test
    void anUnreachableStackedControlPlanesEtcdMemberIsRemovedByIdFromAControlPlaneThatStays() {
        ClusterSpec stacked = PhaseTable.cluster(PhaseTable.STACKED);
        ClusterSpec without = stacked.withHosts(stacked.hosts().stream().filter(h -> !h.name().equals("cp3"))
                .toList());
        Plan plan = plan(Optional.of(stacked), without, new MembershipOptions(Duration.ofMinutes(5), Set.of("cp3")));
        assertEquals(List.of("cp1 membership.etcd-member-remove.cp3"), steps(plan, "remove-hosts"));
        Step remove = KubernetesPhasesTest.phase(plan, "remove-hosts").steps().get(0);
        assertTrue(command(remove).contains("c=$(crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock"
                + " ps -q --name '^etcd$' | head -n1) && [ -n \"$c\" ] && id=$(crictl --runtime-endpoint"), command(remove));
        assertTrue(command(remove).contains(" member list | awk -F', ' -v n=cp3 '$3 == n {print $1}') && { [ -z \"$id\" ]"
                + " || crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock exec \"$c\" etcdctl"
                + " --endpoints https://127.0.0.1:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt --cert"
                + " /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key"
                + " member remove \"$id\"; }"), command(remove));
        Plan reachable = plan(Optional.of(stacked), without);
        assertEquals("cp3 reset.kubeadm", steps(reachable, "remove-hosts").get(0),
                "a reachable control plane's kubeadm reset removes its own member");
        assertFalse(steps(reachable, "remove-hosts").stream().anyMatch(st -> st.contains("etcd-member-remove")));
    }

    @Test
    void aRemovedWorkerIsDrainedDeletedThenReset() {
        Plan plan = plan(Optional.of(with(GUIDE, W1)), GUIDE);
        assertEquals(List.of("worker1 membership.drain.w1"), steps(plan, "drain-nodes"));
        assertEquals(List.of("worker1 membership.delete-node.w1"), steps(plan, "delete-nodes"));
        List<String> order = plan.phaseNames();
        assertTrue(order.indexOf("drain-nodes") < order.indexOf("remove-hosts")
                && order.indexOf("remove-hosts") < order.indexOf("delete-nodes"), "kubeadm's order: " + order);
        Step drain = KubernetesPhasesTest.phase(plan, "drain-nodes").steps().get(0);
        assertTrue(((RunCommand) drain.operations().get(0)).command().startsWith("n=w1; kubectl --kubeconfig"
                + " /etc/kubernetes/admin.conf drain \"$n\" --ignore-daemonsets --delete-emptydir-data --timeout=300s ||"),
                ((RunCommand) drain.operations().get(0)).command());
        assertEquals("kubectl drain w1 (fails after 5 min)", drain.title());
        assertEquals(List.of("w1 reset.kubeadm", "w1 reset.kubelet", "w1 reset.cni", "w1 reset.iptables",
                "w1 reset.nftables", "w1 reset.ipvs", "w1 reset.files", "w1 reset.hosts"), steps(plan, "remove-hosts"));
        assertTrue(plan.phaseNames().indexOf("delete-nodes") < plan.phaseNames().indexOf("verify"));
        assertTrue(KubernetesPhasesTest.phase(plan, "nodes-ready").needs().stream()
                .anyMatch(n -> n.phase().equals("delete-nodes") && n.everyHost()),
                "the nodes-ready phase counts the Ready nodes: the leaving one must be gone first");
        assertEquals(List.of(), steps(plan, "release-vip"));
    }

    @Test
    void aReplacedEtcdOnlyHostIsNeitherDrainedNorDeletedNorKubeadmReset() {
        ClusterSpec replaced = with(GUIDE.withHosts(GUIDE.hosts().stream().filter(h -> !h.name().equals("ceph1"))
                .toList()), new HostSpec("ceph4", "172.21.16.20", Set.of(Role.ETCD)));
        Plan plan = plan(Optional.of(GUIDE), replaced);
        for (String phase : List.of("drain-nodes", "remove-hosts", "delete-nodes")) {
            assertFalse(plan.phaseNames().contains(phase), phase + ": " + steps(plan, phase));
        }
        assertTrue(plan.phases().stream().flatMap(p -> p.steps().stream()).noneMatch(s -> s.host().equals("ceph1")),
                plan.phaseNames().toString());
    }

    @Test
    void aRemovedLoadBalancerGivesUpTheVipFirstAndIsStopped() {
        ClusterSpec three = with(GUIDE, LB3);
        Plan plan = plan(Optional.of(three), GUIDE);
        assertEquals(List.of("lb3 membership.release-vip"), steps(plan, "release-vip"));
        Step release = KubernetesPhasesTest.phase(plan, "release-vip").steps().get(0);
        assertTrue(release.verify().orElseThrow().command().startsWith("! ip -o addr show | grep -qw"
                + " 'inet6\\? 10.0.8.100/[0-9]*' && curl -ksf"), release.verify().orElseThrow().command());
        assertEquals(List.of("lb3 reset.load-balancer", "lb3 reset.hosts"), steps(plan, "remove-hosts"));
        assertTrue(plan.phaseNames().indexOf("release-vip") < plan.phaseNames().indexOf("update-load-balancers"));
    }

    @Test
    void aRemovedControlPlaneLeavesHaproxyBeforeItIsDrained() {
        Plan plan = plan(Optional.of(with(GUIDE, CP3)), GUIDE);
        assertTrue(steps(plan, "update-load-balancers").contains("worker1 membership.haproxy"));
        assertTrue(plan.phaseNames().indexOf("update-load-balancers") < plan.phaseNames().indexOf("drain-nodes"));
        assertEquals(List.of("worker1 membership.drain.cp3"), steps(plan, "drain-nodes"));
        assertEquals(List.of("cp3 reset.kubeadm"), steps(plan, "remove-hosts").subList(0, 1));
    }

    @Test
    void droppingEtcdBackupFromTheAnswersRemovesItsTimerFromEveryMemberAndKeepsTheSnapshots() {
        ClusterSpec withBackup = GuideSpecs.withBackup("*-*-* 03:00:00", 5);
        Plan plan = plan(Optional.of(withBackup), GUIDE);
        List<String> removals = steps(plan, Install.ETCD).stream().filter(s -> s.endsWith(" etcd.snapshot-timer-removed"))
                .toList();
        assertEquals(List.of("ceph1 etcd.snapshot-timer-removed", "ceph2 etcd.snapshot-timer-removed",
                "ceph3 etcd.snapshot-timer-removed"), removals);
        Step removal = plan.phases().stream().filter(p -> p.name().equals(Install.ETCD)).flatMap(p -> p.steps()
                .stream()).filter(s -> s.id().equals("etcd.snapshot-timer-removed")).findFirst().orElseThrow();
        assertEquals("Remove etcd.backup's snapshot timer, service and script (the snapshots in"
                + " /var/lib/kubeha/etcd-snapshots are kept)", removal.title());
        RunCommand run = (RunCommand) removal.operations().get(0);
        assertEquals("systemctl disable --now kubeha-etcd-snapshot.timer 2>/dev/null; systemctl stop"
                + " kubeha-etcd-snapshot.service 2>/dev/null; rm -f /etc/systemd/system/kubeha-etcd-snapshot.timer"
                + " /etc/systemd/system/kubeha-etcd-snapshot.service /usr/local/sbin/kubeha-etcd-snapshot"
                + " /var/lib/kubeha/etcd-snapshots/*.part && systemctl daemon-reload", run.command());
        assertFalse(run.command().contains("etcd-snapshots/etcd-") || run.command().contains("rm -rf"));
        assertEquals(run.doneWhen().orElseThrow(), removal.verify().orElseThrow().command());
        assertTrue(run.doneWhen().orElseThrow().startsWith("! systemctl is-active --quiet kubeha-etcd-snapshot.timer"
                + " && ! systemctl is-active --quiet kubeha-etcd-snapshot.service && for f in"));

        for (Plan unchanged : List.of(plan(Optional.of(GUIDE), GUIDE), plan(Optional.empty(), GUIDE),
                plan(Optional.of(withBackup), withBackup))) {
            assertTrue(steps(unchanged, Install.ETCD).stream().noneMatch(s -> s.endsWith("-removed")),
                    steps(unchanged, Install.ETCD).toString());
        }
        assertTrue(steps(plan(Optional.of(withBackup), withBackup), Install.ETCD).contains(
                "ceph1 etcd.snapshot-timer"));
    }
}
