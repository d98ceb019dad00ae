package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.model.AppliedTopology;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.state.StateException;
import dev.kubeha.testing.GuideSpecs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The Cluster screen's membership key on Lanterna's in-memory terminal: the change listed with its refusals, what no
 * confirmation lifts stops there, a removal confirmed by typing the leaving hosts' names, an even etcd count by typing
 * the count, and the run given exactly what was confirmed.
 */
class ClusterMembershipKeyTest {
    static final ClusterSpec GUIDE = GuideSpecs.guide();
    static final HostSpec W1 = new HostSpec("w1", "172.21.16.30", Set.of(Role.WORKER));
    static final HostSpec CEPH4 = new HostSpec("ceph4", "172.21.16.20", Set.of(Role.ETCD));

    static final HostKeyPolicy.UnknownKey W1_KEY = new HostKeyPolicy.UnknownKey("172.21.16.30", 22, "ssh-ed25519",
            "SHA256:6mQmO3hVb5qX0bH0y0kq1m3f4wYc2cS2iYkq3H7mJzQ");

    final List<ClusterFlow.Confirmed> ran = Collections.synchronizedList(new ArrayList<>());
    final List<String> keysAsked = Collections.synchronizedList(new ArrayList<>());

    static ClusterSpec adding(ClusterSpec spec, HostSpec... hosts) {
        List<HostSpec> all = new ArrayList<>(spec.hosts());
        all.addAll(List.of(hosts));
        return spec.withHosts(all);
    }

    static ClusterSpec removing(ClusterSpec spec, String... names) {
        return spec.withHosts(spec.hosts().stream().filter(h -> !List.of(names).contains(h.name())).toList());
    }

    ClusterAction action(Supplier<ClusterChange> change) {
        return ClusterFlow.membershipAction(change, host -> {
            keysAsked.add(host.name());
            return host.name().equals("w1") ? Optional.of(W1_KEY) : Optional.empty();
        }, new Palette(false), "/state/known_hosts", confirmed -> () -> {
            ran.add(confirmed);
            return 0;
        });
    }

    static Supplier<ClusterChange> recorded(ClusterSpec before, ClusterSpec answers) {
        return () -> ClusterChange.between(Optional.of(AppliedTopology.of(before)), answers);
    }

    @Test
    void aJoinIsListedAndRunsOnceTheNewHostsKeyIsTrustedWithNothingElseAllowed() throws Exception {
        ClusterSpec answers = adding(GUIDE, W1);
        try (ClusterScreenDriver screen = new ClusterScreenDriver(answers, List.of(action(recorded(GUIDE,
                answers))))) {
            screen.await("m apply host changes   q quit");
            screen.type("m");
            String listed = screen.await("Apply these changes to the cluster now?");
            assertTrue(listed.contains("joins: w1 (172.21.16.30, worker)"), listed);
            assertTrue(!listed.contains("refused"), listed);
            screen.enter(1);
            String key = screen.await("SHA256:6mQmO3hVb5qX0bH0y0kq1m3f4wYc2cS2iYkq3H7mJzQ");
            assertTrue(key.contains("w1 presents a host key that no known_hosts file lists"), key);
            assertTrue(key.contains("/state/known_hosts"), key);
            screen.enter(1);
            screen.await("Not confirmed: w1's host key is not trusted; nothing was changed.");
            screen.enter(1);
            screen.await("m apply host changes");
            assertEquals(List.of(), ran, "a rejected key runs nothing");

            screen.type("m");
            screen.await("Apply these changes to the cluster now?");
            screen.enter(1);
            screen.await("SHA256:6mQmO3hVb5qX0bH0y0kq1m3f4wYc2cS2iYkq3H7mJzQ");
            screen.press(KeyType.Tab);
            screen.enter(1);
            ClusterAction.Chosen chosen = screen.chosen().orElseThrow();
            assertEquals("apply host changes", chosen.label());
            assertEquals(0, chosen.run().getAsInt());
            assertEquals(List.of(new ClusterFlow.Confirmed(ClusterChange.Allowed.NOTHING, Set.of(W1_KEY))), ran);
            assertEquals(List.of("w1", "w1"), keysAsked);
        }
    }

    @Test
    void aRemovalAndAnEvenEtcdCountRunOnlyOnceTheLeavingHostAndTheCountAreTyped() throws Exception {
        ClusterSpec before = adding(GUIDE, W1);
        ClusterSpec answers = adding(GUIDE, CEPH4);
        try (ClusterScreenDriver screen = new ClusterScreenDriver(answers, List.of(action(recorded(before,
                answers))))) {
            screen.await("m apply host changes");
            screen.type("m");
            String listed = screen.await("Apply these changes to the cluster now?");
            assertTrue(listed.contains("joins: ceph4 (172.21.16.20, etcd)"), listed);
            assertTrue(listed.contains("leaves: w1 (172.21.16.30, worker)"), listed);
            assertTrue(listed.contains("etcd members: ceph1, ceph2, ceph3 -> ceph1, ceph2, ceph3, ceph4"), listed);
            assertTrue(listed.contains("refused: the answers remove w1 (172.21.16.30, worker): removal runs only"),
                    listed);
            assertTrue(listed.contains("refused: etcd goes from 3 to 4 members, an even count"), listed);
            screen.enter(1);
            String removal = screen.await("Type their names, separated by spaces, to remove them:");
            assertTrue(removal.contains("a node is drained, deleted and reset with kubeadm reset; an etcd member is"
                    + " removed and its data deleted"), removal);
            screen.type("w2");
            screen.enter(2);
            screen.await("Not confirmed: nothing was changed.");
            screen.enter(1);
            screen.await("m apply host changes");
            assertEquals(List.of(), ran, "a wrong name runs nothing");

            screen.type("m");
            screen.await("Apply these changes to the cluster now?");
            screen.enter(1);
            screen.await("Type their names, separated by spaces, to remove them:");
            screen.type("w1");
            screen.enter(2);
            String even = screen.await("Type 4 to let etcd run with 4 members:");
            assertTrue(even.contains("etcd goes from 3 to 4 members"), even);
            screen.type("4");
            screen.enter(2);
            ClusterAction.Chosen chosen = screen.chosen().orElseThrow();
            assertEquals(0, chosen.run().getAsInt());
            assertEquals(List.of(new ClusterFlow.Confirmed(new ClusterChange.Allowed(true, true), Set.of())), ran);
            assertEquals(List.of("ceph4"), keysAsked, "a known key asks nothing");
        }
    }

    @Test
    void whatNoConfirmationLiftsIsShownByNameAndNothingRuns() throws Exception {
        ClusterSpec answers = removing(GUIDE, "ceph2", "ceph3");
        ClusterAction damaged = action(() -> {
            throw new StateException("the applied-topology record is damaged: line 1: not a mapping");
        });
        try (ClusterScreenDriver screen = new ClusterScreenDriver(answers, List.of(action(recorded(GUIDE, answers)),
                new ClusterAction('d', "damaged record", damaged.ask())))) {
            screen.await("m apply host changes");
            screen.type("m");
            String refused = screen.await("apply host changes: refused");
            assertTrue(refused.contains("refused: the answers remove 2 etcd members (ceph2, ceph3): remove one etcd"
                    + " member per apply"), refused);
            assertTrue(refused.contains("refused: removing ceph2, ceph3 leaves 1 of 3 etcd members, below the quorum"
                    + " of 2"), refused);
            assertTrue(!refused.contains("Apply these changes"), refused);
            screen.enter(1);
            screen.await("m apply host changes");
            screen.type("d");
            String shown = screen.await("the applied-topology record is damaged: line 1: not a mapping");
            assertTrue(shown.contains("apply host changes: refused"), shown);
            screen.enter(1);
            screen.await("m apply host changes");
            screen.type("q");
            assertEquals(Optional.empty(), screen.chosen());
            assertEquals(List.of(), ran);
            assertEquals(List.of(), keysAsked);
        }
    }
}
