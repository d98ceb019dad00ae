package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.AppliedTopology;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdMembershipRule;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ClusterChange.Allowed;
import dev.kubeha.model.EtcdMembershipRule.Reason;
import dev.kubeha.testing.GuideSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The live etcd membership read from etcdctl and compared with the answers, and the refusals of a change. */
class EtcdMembershipTest {
    static final String THREE = """
            8e9e05c52164694d, started, ceph1, https://172.21.16.14:2380, https://172.21.16.14:2379, false
            91bc3c398fb3c146, started, ceph2, https://172.21.16.6:2380, https://172.21.16.6:2379, false
            fd422379fda50e48, started, ceph3, https://172.21.16.13:2380, https://172.21.16.13:2379, false
            """;
    static final Allowed NOTHING = new Allowed(false, false);

    /** The guide's cluster with more etcd-only hosts. */
    static ClusterSpec withMembers(String... nameAndAddress) {
        List<HostSpec> hosts = new ArrayList<>(GuideSpecs.guide().hosts());
        for (int i = 0; i < nameAndAddress.length; i += 2) {
            hosts.add(new HostSpec(nameAndAddress[i], nameAndAddress[i + 1], Set.of(Role.ETCD)));
        }
        return GuideSpecs.guide().withHosts(hosts);
    }

    static ClusterSpec without(ClusterSpec spec, String name) {
        return spec.withHosts(spec.hosts().stream().filter(h -> !h.name().equals(name)).toList());
    }

    static List<String> names(List<HostSpec> hosts) {
        return hosts.stream().map(HostSpec::name).toList();
    }

    @Test
    void memberListIsReadWithLearnersAndUnstartedMembers() {
        List<EtcdMembership.Member> live = EtcdMembership.parse(THREE
                + "6e3bd23ae5f1eae0, unstarted, , https://172.21.16.15:2380, , true\n");
        assertEquals(4, live.size());
        assertEquals(new EtcdMembership.Member("8e9e05c52164694d", true, "ceph1", List.of("https://172.21.16.14:2380"),
                List.of("https://172.21.16.14:2379"), false), live.get(0));
        EtcdMembership.Member added = live.get(3);
        assertFalse(added.started());
        assertTrue(added.learner());
        assertEquals(List.of(), added.clientUrls());
        assertEquals("172.21.16.15", added.address());
    }

    @Test
    void linesThatCouldReachACommandOrAUnitAreRefusedWithTheirNumber() {
        for (String bad : List.of("8e9e, started, ceph1, https://172.21.16.14:2380",
                "zz, started, ceph1, https://172.21.16.14:2380, https://172.21.16.14:2379, false",
                "8e9e, started, ceph1;rm, https://172.21.16.14:2380, https://172.21.16.14:2379, false",
                "8e9e, started, ceph1, https://host.example:2380, https://172.21.16.14:2379, false",
                "8e9e, started, ceph1, https://172.21.16.14:2380 --x, https://172.21.16.14:2379, false",
                "8e9e, unstarted, ceph1, https://172.21.16.14:2380, , maybe")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EtcdMembership.parse("\n" + bad + "\n"), bad);
            assertTrue(e.getMessage().startsWith("etcdctl member list, line 2: "), e.getMessage());
        }
    }

    @Test
    void hostsOfTheAnswersAreMatchedByPeerUrl() {
        ClusterSpec spec = without(withMembers("ceph4", "172.21.16.15", "ceph5", "172.21.16.16"), "ceph2");
        EtcdMembership change = EtcdMembership.of(spec, EtcdMembership.parse(THREE));
        assertEquals(List.of("ceph1", "ceph3"), names(change.staying()));
        assertEquals(List.of("ceph4", "ceph5"), names(change.joining()));
        assertEquals(List.of("ceph2"), change.leaving().stream().map(EtcdMembership.Member::name).toList());
        assertEquals(3, change.voters());
        assertFalse(change.unchanged());
        assertTrue(EtcdMembership.of(GuideSpecs.guide(), EtcdMembership.parse(THREE)).unchanged());
        assertEquals(new HostSpec("ceph2", "172.21.16.6", Set.of(Role.ETCD)),
                EtcdMembership.hostOf(change.leaving().get(0)));
    }

    @Test
    void aLearnerOrUnstartedMemberOfAnInterruptedRunStillJoins() {
        ClusterSpec spec = withMembers("ceph4", "172.21.16.15", "ceph5", "172.21.16.16");
        EtcdMembership change = EtcdMembership.of(spec, EtcdMembership.parse(THREE
                + "6e3bd23ae5f1eae0, unstarted, , https://172.21.16.15:2380, , true\n"));
        assertEquals(List.of("ceph4", "ceph5"), names(change.joining()));
        assertEquals(List.of(), change.leaving());
        assertEquals(List.of("ceph1=https://172.21.16.14:2380", "ceph2=https://172.21.16.6:2380",
                "ceph3=https://172.21.16.13:2380", "ceph4=https://172.21.16.15:2380"),
                change.clusterWhenJoining(spec, 0));
        assertEquals(List.of("ceph1=https://172.21.16.14:2380", "ceph2=https://172.21.16.6:2380",
                "ceph3=https://172.21.16.13:2380", "ceph4=https://172.21.16.15:2380",
                "ceph5=https://172.21.16.16:2380"), change.clusterWhenJoining(spec, 1));
    }

    @Test
    void theLiveMembersFeedTheRuleWithTheJoiningHostsAndTheLeavingMembers() {
        EtcdMembership four = EtcdMembership.of(withMembers("ceph4", "172.21.16.15"), EtcdMembership.parse(THREE));
        assertEquals(new EtcdMembershipRule(3, List.of("ceph4"), List.of(), 0), four.rule());
        assertEquals(List.of(Reason.EVEN_COUNT), reasons(four, NOTHING));
        assertEquals("etcd goes from 3 to 4 members, an even count that tolerates no more failures than 3: pass"
                + " --allow-even to go through it on the way to 5", four.rule().refusals(NOTHING).get(0).text());
        assertEquals(List.of(), reasons(four, new Allowed(false, true)));
        EtcdMembership learner = EtcdMembership.of(withMembers("ceph4", "172.21.16.15"), EtcdMembership.parse(THREE
                + "6e3bd23ae5f1eae0, unstarted, , https://172.21.16.15:2380, , true\n"));
        assertEquals(new EtcdMembershipRule(3, List.of("ceph4"), List.of(), 0), learner.rule());
        EtcdMembership strayLearner = EtcdMembership.of(GuideSpecs.guide(), EtcdMembership.parse(THREE
                + "6e3bd23ae5f1eae0, unstarted, , https://172.21.16.15:2380, , true\n"));
        assertEquals(new EtcdMembershipRule(3, List.of(), List.of("6e3bd23ae5f1eae0"), 0), strayLearner.rule());
        assertEquals(List.of(Reason.REMOVAL_NOT_ALLOWED), reasons(strayLearner, NOTHING));
    }

    @Test
    void replacingOneOfFourLiveMembersNeedsOnlyAllowRemovalAsTheAppliedRecordSays() {
        String four = THREE + "0a1b2c3d4e5f6071, started, ceph4, https://172.21.16.15:2380,"
                + " https://172.21.16.15:2379, false\n";
        ClusterSpec replaced = without(withMembers("ceph4", "172.21.16.15", "ceph5", "172.21.16.16"), "ceph1");
        EtcdMembership change = EtcdMembership.of(replaced, EtcdMembership.parse(four));
        assertEquals(new EtcdMembershipRule(4, List.of("ceph5"), List.of("ceph1"), 1), change.rule());
        assertEquals(List.of(Reason.REMOVAL_NOT_ALLOWED), reasons(change, NOTHING));
        assertEquals(List.of(), reasons(change, new Allowed(true, false)));
        ClusterChange recorded = ClusterChange.between(Optional.of(AppliedTopology.of(withMembers("ceph4",
                "172.21.16.15"))), replaced);
        assertEquals(change.rule(), recorded.etcdRule());
        assertEquals(List.of(), recorded.refusals(new Allowed(true, false)));
    }

    @Test
    void aRemovalNeedsAllowRemovalOnePerRunAndQuorumLeft() {
        ClusterSpec two = without(GuideSpecs.guide(), "ceph3");
        EtcdMembership one = EtcdMembership.of(two, EtcdMembership.parse(THREE));
        assertEquals(List.of(Reason.REMOVAL_NOT_ALLOWED, Reason.EVEN_COUNT), reasons(one, NOTHING));
        assertEquals(List.of(), reasons(one, new Allowed(true, true)));
        EtcdMembership both = EtcdMembership.of(without(two, "ceph2"), EtcdMembership.parse(THREE));
        assertEquals(List.of(Reason.MORE_THAN_ONE_REMOVAL, Reason.BELOW_QUORUM), reasons(both, new Allowed(true,
                true)));
        assertEquals("removing ceph2, ceph3 leaves 1 of 3 etcd members, below the quorum of 2: add a member first",
                both.rule().refusals(new Allowed(true, true)).get(1).text());
        EtcdMembership fromTwo = EtcdMembership.of(without(two, "ceph2"), EtcdMembership.parse(THREE.lines()
                .limit(2).map(l -> l + "\n").reduce("", String::concat)));
        assertEquals(List.of(Reason.BELOW_QUORUM), reasons(fromTwo, new Allowed(true, true)));
    }

    static List<Reason> reasons(EtcdMembership change, Allowed allowed) {
        return change.rule().refusals(allowed).stream().map(EtcdMembershipRule.Refusal::reason).toList();
    }
}
