package dev.kubeha.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.GuideSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterChangeTest {
    private static final ClusterSpec GUIDE = GuideSpecs.guide();
    private static final ClusterChange.Allowed REMOVAL = new ClusterChange.Allowed(true, false);

    private static ClusterSpec adding(ClusterSpec spec, HostSpec... hosts) {
        List<HostSpec> all = new ArrayList<>(spec.hosts());
        all.addAll(List.of(hosts));
        return spec.withHosts(all);
    }

    private static ClusterSpec removing(ClusterSpec spec, String... names) {
        Set<String> gone = Set.of(names);
        return spec.withHosts(spec.hosts().stream().filter(h -> !gone.contains(h.name())).toList());
    }

    private static ClusterChange change(ClusterSpec before, ClusterSpec after) {
        return ClusterChange.between(Optional.of(AppliedTopology.of(before)), after);
    }

    private static List<String> names(List<HostSpec> hosts) {
        return hosts.stream().map(HostSpec::name).toList();
    }

    private static HostSpec host(String name, String address, Role... roles) {
        return new HostSpec(name, address, Set.of(roles));
    }

    @Test
    void withoutARecordNothingJoinsOrLeavesAndNothingIsRefused() {
        ClusterChange c = ClusterChange.between(Optional.empty(), removing(GUIDE, "ceph2", "ceph3"));
        assertFalse(c.recorded());
        assertEquals(List.of(), c.joining());
        assertEquals(List.of(), c.leaving());
        assertEquals(List.of(), c.refusals(ClusterChange.Allowed.NOTHING));
        assertTrue(c.describe().contains("no removal is known"), c.describe());
    }

    @Test
    void theSameHostsAreNoChange() {
        ClusterChange c = change(GUIDE, GUIDE);
        assertTrue(c.isEmpty());
        assertEquals(List.of(), c.refusals(ClusterChange.Allowed.NOTHING));
        assertEquals("membership: no host joins, leaves or changes (compared with the recorded topology)\n",
                c.describe());
    }

    @Test
    void anAddedWorkerJoinsAndChangesNothingElse() {
        ClusterChange c = change(GUIDE, adding(GUIDE, host("w1", "10.0.8.30", Role.WORKER)));
        assertEquals(List.of("w1"), names(c.joining()));
        assertFalse(c.haproxyBackendsChange());
        assertFalse(c.keepalivedPeersChange());
        assertEquals(List.of(), c.addedEtcdMembers());
        assertEquals(List.of(), c.refusals(ClusterChange.Allowed.NOTHING));
        assertEquals("""
                membership (the answers compared with the recorded topology):
                  joins: w1 (10.0.8.30, worker)
                """, c.describe());
    }

    @Test
    void anAddedControlPlaneBecomesAHaproxyBackendOnEveryKeptLoadBalancer() {
        ClusterChange c = change(GUIDE, adding(GUIDE, host("cp3", "10.0.8.31", Role.CONTROL_PLANE)));
        assertTrue(c.haproxyBackendsChange());
        assertEquals(List.of("worker1", "worker2", "cp3"), names(c.haproxyBackendsAfter()));
        assertEquals(List.of("worker1", "worker2"), names(c.keptLoadBalancers()));
        assertEquals(List.of(), c.addedEtcdMembers(), "etcd is external in the guide");
        assertTrue(c.describe().contains("  haproxy backends: worker1, worker2 -> worker1, worker2, cp3 on worker1,"
                + " worker2, reloaded one load balancer at a time\n"), c.describe());
    }

    @Test
    void aStackedControlPlaneIsAlsoAnEtcdMember() {
        ClusterSpec stacked = removing(GUIDE, "ceph1", "ceph2", "ceph3");
        ClusterChange c = change(stacked, adding(stacked, host("cp3", "10.0.8.31", Role.CONTROL_PLANE)));
        assertEquals(List.of("cp3"), names(c.addedEtcdMembers()));
        assertFalse(c.etcdEndpointsChange(), "stacked members are no apiserver flag");
        assertEquals(List.of(), c.refusals(ClusterChange.Allowed.NOTHING), "2 -> 3 is odd");
    }

    @Test
    void anAddedLoadBalancerChangesEveryKeepalivedsPeers() {
        ClusterChange c = change(GUIDE, adding(GUIDE, host("lb3", "10.0.8.32", Role.LOAD_BALANCER)));
        assertTrue(c.keepalivedPeersChange());
        assertEquals(List.of("worker1", "worker2", "lb3"), names(c.keepalivedPeersAfter()));
        assertTrue(c.describe().contains("keepalived unicast peers: worker1, worker2 -> worker1, worker2, lb3"),
                c.describe());
    }

    @Test
    void aNewLoadBalancerListedBeforeTheKeptOnesWouldTakeTheVipAndIsRefused() {
        List<HostSpec> hosts = new ArrayList<>(List.of(host("lb0", "10.0.8.33", Role.LOAD_BALANCER)));
        hosts.addAll(GUIDE.hosts());
        assertEquals(List.of("new load-balancer host lb0 is listed before worker1, worker2: keepalived's priorities"
                + " follow the order of the hosts, so it would take the VIP; list new load-balancer hosts after the"
                + " existing ones"), change(GUIDE, GUIDE.withHosts(hosts)).refusals(ClusterChange.Allowed.NOTHING));
        assertEquals(List.of(), change(GUIDE, adding(GUIDE, host("lb3", "10.0.8.32", Role.LOAD_BALANCER)))
                .refusals(ClusterChange.Allowed.NOTHING));
    }

    @Test
    void anExternalEtcdMemberChangesTheApiserversEndpoints() {
        ClusterChange c = change(GUIDE, adding(GUIDE, host("ceph4", "172.21.16.20", Role.ETCD),
                host("ceph5", "172.21.16.21", Role.ETCD)));
        assertEquals(List.of("ceph4", "ceph5"), names(c.addedEtcdMembers()));
        assertTrue(c.etcdEndpointsChange());
        assertEquals(List.of("the answers add 2 etcd members (ceph4, ceph5): etcd takes one new member (a learner)"
                + " at a time; add one per apply"), c.refusals(ClusterChange.Allowed.NOTHING));
    }

    @Test
    void removalNeedsAllowRemovalAndIsNamed() {
        ClusterSpec withWorker = adding(GUIDE, host("w1", "10.0.8.30", Role.WORKER));
        ClusterChange c = change(withWorker, GUIDE);
        assertEquals(List.of("w1"), names(c.leaving()));
        assertEquals(List.of("the answers remove w1 (10.0.8.30, worker): removal runs only with --allow-removal"),
                c.refusals(ClusterChange.Allowed.NOTHING));
        assertEquals(List.of(), c.refusals(REMOVAL));
        assertTrue(c.describe().contains("  leaves: w1 (10.0.8.30, worker)\n"), c.describe());
    }

    @Test
    void aLeavingHostKeepsItsRecordedSshPortAndUser() {
        ClusterSpec before = adding(GUIDE, new HostSpec("w1", "10.0.8.30", Set.of(Role.WORKER), 2222, "ops", null));
        HostSpec leaving = change(before, GUIDE).leaving().getFirst();
        assertEquals(2222, leaving.port());
        assertEquals("ops", leaving.user());
    }

    @Test
    void anEtcdRemovalToAnEvenCountNeedsAllowEven() {
        ClusterChange c = change(GUIDE, removing(GUIDE, "ceph3"));
        assertEquals(List.of("ceph3"), names(c.removedEtcdMembers()));
        assertEquals(List.of("etcd goes from 3 to 2 members, an even count that tolerates no more failures than 1:"
                + " pass --allow-even to go through it on the way to 3 or 1"), c.refusals(REMOVAL));
        assertEquals(List.of(), c.refusals(new ClusterChange.Allowed(true, true)));
    }

    @Test
    void aFreshInstallOfAnEvenExternalEtcdCountNeedsAllowEven() {
        ClusterChange c = ClusterChange.between(Optional.empty(), adding(GUIDE, host("ceph4", "172.21.16.20",
                Role.ETCD)));
        assertEquals(List.of("the answers list 4 etcd hosts, an even count that tolerates no more failures than 3:"
                + " pass --allow-even to install it anyway, or list 3 or 5"), c.refusals(ClusterChange.Allowed.NOTHING));
        assertEquals(List.of(), c.refusals(new ClusterChange.Allowed(false, true)));
    }

    @Test
    void aFreshInstallWithStackedEtcdOnTwoControlPlanesIsNotRefused() {
        ClusterSpec stacked = GUIDE.withHosts(GUIDE.hosts().stream().filter(h -> !h.has(Role.ETCD)).toList());
        assertEquals(2, stacked.hostsWith(Role.CONTROL_PLANE).size());
        assertEquals(List.of(), ClusterChange.between(Optional.empty(), stacked)
                .refusals(ClusterChange.Allowed.NOTHING));
    }

    @Test
    void anEtcdMemberReplacedInOneRunNeedsOnlyAllowRemoval() {
        ClusterChange c = change(GUIDE, adding(removing(GUIDE, "ceph1"), host("ceph4", "172.21.16.20", Role.ETCD)));
        assertEquals(List.of("ceph4"), names(c.addedEtcdMembers()));
        assertEquals(List.of("ceph1"), names(c.removedEtcdMembers()));
        assertEquals(1, c.refusals(ClusterChange.Allowed.NOTHING).size(), c.refusals(ClusterChange.Allowed.NOTHING)
                .toString());
        assertEquals(List.of(), c.refusals(REMOVAL));
    }

    @Test
    void anEtcdAdditionToAnEvenCountNeedsAllowEven() {
        ClusterChange c = change(GUIDE, adding(GUIDE, host("ceph4", "172.21.16.20", Role.ETCD)));
        assertEquals(List.of("etcd goes from 3 to 4 members, an even count that tolerates no more failures than 3:"
                + " pass --allow-even to go through it on the way to 5"), c.refusals(ClusterChange.Allowed.NOTHING));
    }

    @Test
    void moreThanOneEtcdMemberRemovedIsRefusedAndSoIsLosingQuorum() {
        ClusterChange c = change(GUIDE, removing(GUIDE, "ceph2", "ceph3"));
        assertEquals(List.of(
                "the answers remove 2 etcd members (ceph2, ceph3): remove one etcd member per apply, so the cluster"
                        + " keeps its quorum after each",
                "removing ceph2, ceph3 leaves 1 of 3 etcd members, below the quorum of 2: add a member first"),
                c.refusals(REMOVAL));
    }

    @Test
    void removingBelowQuorumOfTwoIsRefused() {
        ClusterSpec two = removing(GUIDE, "ceph3");
        assertEquals(List.of("removing ceph2 leaves 1 of 2 etcd members, below the quorum of 2: add a member first"),
                change(two, removing(two, "ceph2")).refusals(REMOVAL));
    }

    @Test
    void theLastControlPlaneAndTheLastLoadBalancerAreNeverRemoved() {
        ClusterSpec one = removing(GUIDE, "worker2");
        ClusterSpec replaced = adding(removing(one, "worker1"),
                host("cp9", "10.0.8.40", Role.CONTROL_PLANE, Role.LOAD_BALANCER));
        assertEquals(List.of(
                "removing worker1 leaves no running control plane: add the new control plane in one apply, then"
                        + " remove the old one in the next",
                "removing worker1 leaves no running load-balancer host: add the new load-balancer host in one apply,"
                        + " then remove the old one in the next"),
                change(one, replaced).refusals(REMOVAL));
    }

    @Test
    void anAddressOrRolesChangedInPlaceIsRefusedWithTheRecipe() {
        ClusterSpec moved = GuideSpecs.withAddress(GUIDE, "ceph1", "172.21.16.99");
        assertEquals(List.of("host ceph1: address 172.21.16.14 -> 172.21.16.99 is changed in place, which kubeha"
                + " refuses: remove the host from the answers and apply with --allow-removal, then add it back with"
                + " its new address or roles and apply again"), change(GUIDE, moved).refusals(REMOVAL));
        ClusterSpec promoted = GUIDE.withHosts(GUIDE.hosts().stream().map(h -> h.name().equals("ceph1")
                ? host("ceph1", h.address(), Role.ETCD, Role.WORKER) : h).toList());
        assertEquals(List.of("host ceph1: roles etcd -> worker etcd"), change(GUIDE, promoted).changedInPlace());
        assertEquals(1, change(GUIDE, promoted).refusals(REMOVAL).size());
    }

    @Test
    void anAddressTakenOverByAnotherNameIsAnInPlaceChange() {
        ClusterSpec withWorker = adding(GUIDE, host("w1", "10.0.8.30", Role.WORKER));
        ClusterSpec renamed = adding(GUIDE, host("w2", "10.0.8.30", Role.WORKER));
        assertEquals(List.of("address 10.0.8.30: host w1 -> w2"), change(withWorker, renamed).changedInPlace());
    }

    @Test
    void aVipOrEtcdModeChangeIsRefused() {
        ClusterSpec otherVip = new ClusterSpec(GUIDE.cluster(), GUIDE.ssh(), GUIDE.hosts(),
                new LoadBalancerSpec("10.0.8.101", 16443, "", 51, VrrpMode.UNICAST), GUIDE.network(), GUIDE.etcd(),
                GUIDE.containerRuntime(), GUIDE.addons());
        assertEquals(List.of("loadBalancer.vip changes from 10.0.8.100 to 10.0.8.101: every node and certificate"
                + " uses the VIP; changing it is a new cluster"), change(GUIDE, otherVip).refusals(REMOVAL));
        ClusterSpec withCp = adding(GUIDE, host("cp3", "10.0.8.31", Role.CONTROL_PLANE));
        ClusterSpec stacked = removing(withCp, "ceph1", "ceph2", "ceph3");
        assertTrue(change(withCp, stacked).refusals(new ClusterChange.Allowed(true, true)).contains(
                "etcd changes from external members to stacked on the control planes: kubeha cannot move etcd"
                        + " between stacked and external members"));
    }

    @Test
    void etcdBackupDroppedFromTheAnswersIsShownWithTheMembersAndTheSnapshotsKept() {
        ClusterSpec withBackup = GuideSpecs.withBackup("*-*-* 03:00:00", 5);
        ClusterChange dropped = change(withBackup, GUIDE);
        assertTrue(dropped.etcdBackupDropped());
        assertTrue(dropped.isEmpty(), "no host joins, leaves or changes");
        assertEquals("membership: no host joins, leaves or changes (compared with the recorded topology)\n"
                + "etcd.backup: no longer in the answers: its snapshot timer, service and script are removed from"
                + " ceph1, ceph2, ceph3; the snapshots already taken are kept\n", dropped.describe());
        assertTrue(change(adding(withBackup, host("w9", "10.0.8.39", Role.WORKER)), adding(GUIDE, host("w9",
                "10.0.8.39", Role.WORKER))).describe().endsWith("the snapshots already taken are kept\n"));
        assertFalse(change(withBackup, withBackup).etcdBackupDropped());
        assertFalse(change(GUIDE, GUIDE).etcdBackupDropped());
        assertFalse(change(GUIDE, withBackup).etcdBackupDropped());
        assertFalse(ClusterChange.between(Optional.empty(), GUIDE).etcdBackupDropped());
    }
}
