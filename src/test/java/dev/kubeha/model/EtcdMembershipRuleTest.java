package dev.kubeha.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kubeha.model.EtcdMembershipRule.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one etcd membership rule over every change a run can ask for, from 1 to 7 voting members: what it refuses with
 * no option, and what --allow-removal and --allow-even lift (each only its own reason).
 */
class EtcdMembershipRuleTest {
    static final ClusterChange.Allowed REMOVAL = new ClusterChange.Allowed(true, false);
    static final ClusterChange.Allowed EVEN = new ClusterChange.Allowed(false, true);
    static final ClusterChange.Allowed BOTH = new ClusterChange.Allowed(true, true);

    /** {@code voters} members m1.., the run adds n1.. and removes m1.. (all voting). */
    static EtcdMembershipRule change(int voters, int adds, int removes) {
        return new EtcdMembershipRule(voters, names("n", adds), names("m", removes), removes);
    }

    static List<String> names(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
    }

    static List<Reason> reasons(EtcdMembershipRule rule, ClusterChange.Allowed allowed) {
        return rule.refusals(allowed).stream().map(EtcdMembershipRule.Refusal::reason).toList();
    }

    @ParameterizedTest(name = "{0} voters, +{1} -{2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            1 | 0 | 0 |
            4 | 0 | 0 |
            1 | 1 | 0 | EVEN_COUNT
            2 | 1 | 0 |
            3 | 1 | 0 | EVEN_COUNT
            4 | 1 | 0 |
            5 | 1 | 0 | EVEN_COUNT
            6 | 1 | 0 |
            7 | 1 | 0 | EVEN_COUNT
            1 | 0 | 1 | REMOVAL_NOT_ALLOWED BELOW_QUORUM
            2 | 0 | 1 | REMOVAL_NOT_ALLOWED BELOW_QUORUM
            3 | 0 | 1 | REMOVAL_NOT_ALLOWED EVEN_COUNT
            4 | 0 | 1 | REMOVAL_NOT_ALLOWED
            5 | 0 | 1 | REMOVAL_NOT_ALLOWED EVEN_COUNT
            6 | 0 | 1 | REMOVAL_NOT_ALLOWED
            7 | 0 | 1 | REMOVAL_NOT_ALLOWED EVEN_COUNT
            1 | 1 | 1 | REMOVAL_NOT_ALLOWED BELOW_QUORUM
            2 | 1 | 1 | REMOVAL_NOT_ALLOWED
            3 | 1 | 1 | REMOVAL_NOT_ALLOWED
            4 | 1 | 1 | REMOVAL_NOT_ALLOWED
            5 | 1 | 1 | REMOVAL_NOT_ALLOWED
            6 | 1 | 1 | REMOVAL_NOT_ALLOWED
            7 | 1 | 1 | REMOVAL_NOT_ALLOWED
            1 | 2 | 0 | MORE_THAN_ONE_ADDITION
            2 | 2 | 0 | MORE_THAN_ONE_ADDITION EVEN_COUNT
            3 | 2 | 0 | MORE_THAN_ONE_ADDITION
            4 | 2 | 0 | MORE_THAN_ONE_ADDITION EVEN_COUNT
            5 | 2 | 0 | MORE_THAN_ONE_ADDITION
            6 | 2 | 0 | MORE_THAN_ONE_ADDITION EVEN_COUNT
            7 | 2 | 0 | MORE_THAN_ONE_ADDITION
            2 | 0 | 2 | MORE_THAN_ONE_REMOVAL REMOVAL_NOT_ALLOWED BELOW_QUORUM
            3 | 0 | 2 | MORE_THAN_ONE_REMOVAL REMOVAL_NOT_ALLOWED BELOW_QUORUM
            4 | 0 | 2 | MORE_THAN_ONE_REMOVAL REMOVAL_NOT_ALLOWED BELOW_QUORUM EVEN_COUNT
            5 | 0 | 2 | MORE_THAN_ONE_REMOVAL REMOVAL_NOT_ALLOWED
            6 | 0 | 2 | MORE_THAN_ONE_REMOVAL REMOVAL_NOT_ALLOWED EVEN_COUNT
            7 | 0 | 2 | MORE_THAN_ONE_REMOVAL REMOVAL_NOT_ALLOWED
            3 | 2 | 2 | MORE_THAN_ONE_ADDITION MORE_THAN_ONE_REMOVAL REMOVAL_NOT_ALLOWED
            4 | 2 | 1 | MORE_THAN_ONE_ADDITION REMOVAL_NOT_ALLOWED
            """)
    void eachChangeIsRefusedForItsReasonsAndEachOptionLiftsOnlyItsOwn(int voters, int adds, int removes,
                                                                   String refused) {
        EtcdMembershipRule rule = change(voters, adds, removes);
        List<Reason> expected = refused == null ? List.of()
                : Arrays.stream(refused.split(" ")).map(Reason::valueOf).toList();
        assertEquals(expected, reasons(rule, ClusterChange.Allowed.NOTHING));
        assertEquals(without(expected, Reason.REMOVAL_NOT_ALLOWED), reasons(rule, REMOVAL));
        assertEquals(without(expected, Reason.EVEN_COUNT), reasons(rule, EVEN));
        assertEquals(without(without(expected, Reason.REMOVAL_NOT_ALLOWED), Reason.EVEN_COUNT), reasons(rule, BOTH));
        assertEquals(voters + adds - removes, rule.after());
    }

    static List<Reason> without(List<Reason> reasons, Reason lifted) {
        return reasons.stream().filter(r -> r != lifted).toList();
    }

    @Test
    void replacingAMemberOfFourPassesWithAllowRemovalAloneAsEtcdAddsThenRemovesOneAtATime() {
        EtcdMembershipRule replace = change(4, 1, 1);
        assertEquals(4, replace.after());
        assertEquals(List.of(), replace.refusals(REMOVAL), "4 -> 5 (quorum 3 of 4, then of 5) -> 4 (4 of 5 left,"
                + " quorum 3): every step keeps a quorum and the count it rests at is today's");
        assertEquals(List.of(new EtcdMembershipRule.Refusal(Reason.REMOVAL_NOT_ALLOWED, "etcd member m1 would be"
                + " removed (not in the answers' etcd hosts): pass --allow-removal to remove it")),
                replace.refusals(ClusterChange.Allowed.NOTHING));
    }

    @Test
    void aLearnerOrUnstartedMemberThatLeavesCostsNoQuorum() {
        EtcdMembershipRule unstarted = new EtcdMembershipRule(2, List.of(), List.of("6e3bd23ae5f1eae0"), 0);
        assertEquals(List.of(), unstarted.refusals(REMOVAL));
        assertEquals(2, unstarted.after());
        EtcdMembershipRule voter = new EtcdMembershipRule(2, List.of(), List.of("m2"), 1);
        assertEquals(List.of(Reason.BELOW_QUORUM), reasons(voter, BOTH));
    }

    @Test
    void theRefusalsSayWhatToDo() {
        assertEquals(List.of(
                "the answers add 2 etcd members (n1, n2): etcd takes one new member (a learner) at a time; add one"
                        + " per apply",
                "etcd goes from 4 to 6 members, an even count that tolerates no more failures than 5: pass"
                        + " --allow-even to go through it on the way to 7"),
                change(4, 2, 0).refusals(REMOVAL).stream().map(EtcdMembershipRule.Refusal::text).toList());
        assertEquals(List.of(
                "the answers remove 2 etcd members (m1, m2): remove one etcd member per apply, so the cluster keeps"
                        + " its quorum after each",
                "removing m1, m2 leaves 1 of 3 etcd members, below the quorum of 2: add a member first"),
                change(3, 0, 2).refusals(REMOVAL).stream().map(EtcdMembershipRule.Refusal::text).toList());
        assertEquals(List.of("removing m1 leaves 1 of 2 etcd members, below the quorum of 2: add a member first"),
                change(1, 1, 1).refusals(REMOVAL).stream().map(EtcdMembershipRule.Refusal::text).toList());
    }

    @Test
    void aFirstInstallOfAnEvenCountNeedsAllowEven() {
        for (int members = 1; members <= 7; members++) {
            assertEquals(members % 2 == 0 ? List.of(Reason.EVEN_COUNT) : List.of(),
                    EtcdMembershipRule.firstInstall(members, ClusterChange.Allowed.NOTHING).stream()
                            .map(EtcdMembershipRule.Refusal::reason).toList(), members + " members");
            assertEquals(List.of(), EtcdMembershipRule.firstInstall(members, EVEN));
        }
    }

    @Test
    void aRuleThatCountsMoreLeavingVotersThanThereAreIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new EtcdMembershipRule(1, List.of(), List.of("a", "b"),
                2));
        assertThrows(IllegalArgumentException.class, () -> new EtcdMembershipRule(3, List.of(), List.of("a"), 2));
    }
}
