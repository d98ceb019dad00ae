package dev.kubeha.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a change of the etcd membership is refused, from the live membership against the answers: an even member count
 * without --allow-even, a removal without --allow-removal, more than one removal in a run, or a removal that leaves
 * fewer started voting members than the quorum of the cluster before it.
 */
public final class EtcdMembershipRefusals {
    /** The rule a refusal comes from. */
    public enum Reason {
        EVEN_COUNT, REMOVAL_NOT_ALLOWED, MORE_THAN_ONE_REMOVAL, BELOW_QUORUM
    }

    /** One refusal: its rule and what the operator reads. */
    public record Refusal(Reason reason, String text) {
    }

    /** What the operator allowed on the command line. */
    public record Allowed(boolean evenCount, boolean removal) {
    }

    private EtcdMembershipRefusals() {
    }

    /** Every refusal of this change; none when the membership is unchanged. */
    public static List<Refusal> of(EtcdMembership change, Allowed allowed) {
        List<Refusal> out = new ArrayList<>();
        if (change.unchanged()) {
            return out;
        }
        int target = change.staying().size() + change.joining().size();
        if (target % 2 == 0 && !allowed.evenCount()) {
            out.add(new Refusal(Reason.EVEN_COUNT, "etcd would have " + target + " members, an even count that"
                    + " tolerates no more failures than " + (target - 1) + ": pass --allow-even to accept it"));
        }
        List<String> leaving = change.leaving().stream().map(m -> m.name().isEmpty() ? m.id() : m.name()).toList();
        if (!leaving.isEmpty() && !allowed.removal()) {
            out.add(new Refusal(Reason.REMOVAL_NOT_ALLOWED, "etcd member " + String.join(", ", leaving)
                    + " would be removed (not in the answers' etcd hosts): pass --allow-removal to remove it"));
        }
        if (leaving.size() > 1) {
            out.add(new Refusal(Reason.MORE_THAN_ONE_REMOVAL, "etcd members " + String.join(", ", leaving)
                    + " would be removed: remove one etcd member per run"));
        }
        long voters = change.voters();
        long remaining = voters - change.leaving().stream().filter(EtcdMembership.Member::startedVoter).count();
        long quorum = voters / 2 + 1;
        if (!leaving.isEmpty() && remaining < quorum) {
            out.add(new Refusal(Reason.BELOW_QUORUM, "removing " + String.join(", ", leaving) + " leaves "
                    + remaining + " of " + voters + " started voting members, below the quorum of " + quorum
                    + ": add members first"));
        }
        return out;
    }
}
