package dev.kubeha.cli;

import dev.kubeha.install.AppliedRecord;
import dev.kubeha.model.ClusterChange;

/** The hosts that join and leave as plan and apply show them, with the options that allow what is refused. */
final class Membership {
    static final Option ALLOW_REMOVAL = Option.flag("--allow-removal",
            "Remove the hosts the answers no longer list: drain, delete from the cluster, kubeadm reset.");
    static final Option ALLOW_EVEN = Option.flag("--allow-even",
            "Let etcd pass through an even member count (on the way to the next odd one).");

    private Membership() {
    }

    static ClusterChange.Allowed allowed(Arguments args) {
        return new ClusterChange.Allowed(args.flag(ALLOW_REMOVAL.name()), args.flag(ALLOW_EVEN.name()));
    }

    static ClusterChange change(Workspace w) {
        return AppliedRecord.changeTo(w.state(), w.spec());
    }
}
