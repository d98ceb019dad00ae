package dev.kubeha.model;

import java.util.ArrayList;
import java.util.List;

/**
 * kubeha's one rule for a run's change of the etcd members, whether the members come from the applied record or from
 * etcd's live member list. The run makes one change at a time as etcd's runtime reconfiguration guide asks: each
 * joining member is added as a learner and promoted, then the leaving member is removed, and that removal must leave
 * a quorum of the cluster it is removed from. Refused: more than one member added or removed per run, a removal
 * without --allow-removal or below that quorum, and ending at an even count different from today's without
 * --allow-even (a replacement keeps the count, so it passes through the next count and back, never resting on a new
 * even one).
 *
 * @param voters the started voting members now
 * @param added the members the run adds (names), each counted a voter once promoted
 * @param removed the members the run removes (names, or etcd IDs for members that never started)
 * @param removedVoters how many of {@code removed} are started voting members
 */
public record EtcdMembershipRule(int voters, List<String> added, List<String> removed, int removedVoters) {
    /** The rule a refusal comes from. */
    public enum Reason {
        MORE_THAN_ONE_ADDITION, MORE_THAN_ONE_REMOVAL, REMOVAL_NOT_ALLOWED, BELOW_QUORUM, EVEN_COUNT
    }

    /** One refusal: its rule and what the operator reads. */
    public record Refusal(Reason reason, String text) {
    }

    public EtcdMembershipRule {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        if (voters < 0 || removedVoters < 0 || removedVoters > removed.size() || removedVoters > voters) {
            throw new IllegalArgumentException("etcd membership rule: " + voters + " voters, " + removedVoters
                    + " of " + removed.size() + " removed members voting");
        }
    }

    /** Voting members once the run is done. */
    public int after() {
        return voters + added.size() - removedVoters;
    }

    /** Every refusal of this change, in the order of {@link Reason}; none when nothing is added or removed. */
    public List<Refusal> refusals(ClusterChange.Allowed allowed) {
        List<Refusal> out = new ArrayList<>();
        if (added.size() > 1) {
            out.add(new Refusal(Reason.MORE_THAN_ONE_ADDITION, "the answers add " + added.size() + " etcd members ("
                    + names(added) + "): etcd takes one new member (a learner) at a time; add one per apply"));
        }
        if (removed.size() > 1) {
            out.add(new Refusal(Reason.MORE_THAN_ONE_REMOVAL, "the answers remove " + removed.size() + " etcd members ("
                    + names(removed) + "): remove one etcd member per apply, so the cluster keeps its quorum after"
                    + " each"));
        }
        if (!removed.isEmpty() && !allowed.removal()) {
            out.add(new Refusal(Reason.REMOVAL_NOT_ALLOWED, "etcd member " + names(removed) + " would be removed (not"
                    + " in the answers' etcd hosts): pass --allow-removal to remove it"));
        }
        int removedFrom = voters + added.size();
        int quorum = quorum(removedFrom);
        int left = removedFrom - removedVoters;
        if (!removed.isEmpty() && left < quorum) {
            out.add(new Refusal(Reason.BELOW_QUORUM, "removing " + names(removed) + " leaves " + left + " of "
                    + removedFrom + " etcd members, below the quorum of " + quorum + ": add a member first"));
        }
        int after = after();
        if (after != voters && after > 0 && after % 2 == 0 && !allowed.evenEtcd()) {
            out.add(new Refusal(Reason.EVEN_COUNT, even(voters, after, !removed.isEmpty())));
        }
        return out;
    }

    /** Why installing {@code members} etcd hosts at once is refused: only an even count without --allow-even. */
    public static List<Refusal> firstInstall(int members, ClusterChange.Allowed allowed) {
        if (members % 2 != 0 || allowed.evenEtcd()) {
            return List.of();
        }
        return List.of(new Refusal(Reason.EVEN_COUNT, "the answers list " + members + " etcd hosts, an even count"
                + " that tolerates no more failures than " + (members - 1) + ": pass --allow-even to install it"
                + " anyway, or list " + (members - 1) + " or " + (members + 1)));
    }

    /** A majority of {@code members}: what etcd needs to commit anything, a membership change included. */
    public static int quorum(int members) {
        return members / 2 + 1;
    }

    private static String even(int before, int after, boolean removing) {
        return "etcd goes from " + before + " to " + after + " members, an even count that tolerates no more"
                + " failures than " + (after - 1) + ": pass --allow-even to go through it on the way to "
                + (after + 1) + (removing ? " or " + (after - 1) : "");
    }

    private static String names(List<String> names) {
        return String.join(", ", names);
    }
}
