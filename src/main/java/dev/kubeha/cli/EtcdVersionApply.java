package dev.kubeha.cli;

import dev.kubeha.exec.Journal;
import dev.kubeha.install.EtcdMembershipSurvey;
import dev.kubeha.install.InstallSession;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.plan.EtcdCtl;
import dev.kubeha.plan.EtcdUpgrade;
import dev.kubeha.plan.EtcdVersionChange;
import dev.kubeha.sources.ReleaseSites;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * apply's external etcd upgrade, before the install plan: when the started members (etcdctl endpoint status) run
 * another version than the answers' etcd.version, {@code kubeha upgrade-etcd}'s workflow brings them to it one at a
 * time, so the install plan never replaces a running member's binary behind its back.
 */
final class EtcdVersionApply {
    private EtcdVersionApply() {
    }

    /** OK when every answering member runs etcd.version, or was upgraded to it; PROBLEMS when refused or failed. */
    static int run(Arguments args, CliContext context, Workspace w, ReleaseSites sites) {
        ClusterSpec spec = w.spec();
        if (EtcdUpgrade.unsupported(spec).isPresent() || !started(spec,
                InstallSession.journal(w.state(), context.clock()))) {
            return ExitCodes.OK;
        }
        List<String> tried = new ArrayList<>();
        Optional<String> status = EtcdMembershipSurvey.endpointStatus(spec, w.ssh(args), tried);
        if (status.isEmpty()) {
            context.err().println("warning: no etcd member answered etcdctl endpoint status (" + String.join("; ",
                    tried) + "): their etcd version is not checked against etcd.version " + spec.etcd().version());
            return ExitCodes.OK;
        }
        Optional<EtcdVersionChange> change = EtcdVersionChange.surveyed(spec, status.get());
        if (change.isEmpty()) {
            return ExitCodes.OK;
        }
        context.out().print(change.get().describe());
        context.out().flush();
        return EtcdUpgradeCommand.upgrade(args, context, w, sites);
    }

    /** True when an earlier run started etcd on one of the answers' members. */
    static boolean started(ClusterSpec spec, Journal journal) {
        return EtcdCtl.members(spec).stream().map(HostSpec::name)
                .anyMatch(m -> journal.hasFinished(m, EtcdUpgrade.MEMBER_STARTED_STEP));
    }
}
