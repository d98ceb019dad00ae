package dev.kubeha.install;

import dev.kubeha.exec.RunResult;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdMembershipRule;
import dev.kubeha.model.HostSpec;
import dev.kubeha.plan.EtcdMembers;
import dev.kubeha.plan.EtcdMembersInput;
import dev.kubeha.plan.EtcdMembership;
import dev.kubeha.plan.MembershipOptions;
import dev.kubeha.plan.Plan;
import dev.kubeha.progress.DownloadLines;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceException;
import dev.kubeha.sources.SourceFiles;
import dev.kubeha.ssh.SshSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The membership change of an installed cluster that {@code kubeha apply} and the TUI's Cluster screen run before the
 * install plan joins and removes hosts: the change from the applied record and its refusals, then the external etcd's
 * live members made the answers' (the same etcd rule, learners added and promoted, the apiservers' endpoints rolled,
 * the leaving member removed).
 *
 * @param workspace the cluster as the answers describe it
 * @param settings how kubeha reaches the hosts
 * @param allowed what the operator allowed (removals, an even etcd count)
 * @param options the drain timeout and the leaving hosts given up as unreachable
 * @param breakLock whether a stale host lock is taken over
 * @param sites where a joining etcd member's release comes from
 * @param clock the clock of the run
 */
public record MembershipRun(ClusterWorkspace workspace, SshSettings settings, ClusterChange.Allowed allowed,
                            MembershipOptions options, boolean breakLock, ReleaseSites sites, Clock clock) {
    private static final int PARALLEL = 32;

    /** Asks before etcd's membership changes; false stops with nothing changed. */
    @FunctionalInterface
    public interface Confirmation {
        boolean confirm(String question);
    }

    /** The answers against the topology the last apply recorded. */
    public ClusterChange change() {
        return AppliedRecord.changeTo(workspace.state(), workspace.spec());
    }

    /**
     * Prints the change; false (and each refusal on {@code err}) when kubeha refuses it or the membership options do
     * not fit it, before any host is touched.
     */
    public boolean admitted(PrintWriter out, PrintWriter err) {
        return admitted(change(), allowed, options, out, err);
    }

    /**
     * Prints {@code change}; false (and each refusal on {@code err}) when kubeha refuses it with {@code allowed} or
     * {@code options} do not fit it.
     */
    public static boolean admitted(ClusterChange change, ClusterChange.Allowed allowed, MembershipOptions options,
                                   PrintWriter out, PrintWriter err) {
        out.print(change.describe());
        out.flush();
        List<String> refusals = new ArrayList<>(change.refusals(allowed));
        refusals.addAll(options.refusals(change));
        refusals.forEach(r -> err.println("refused: " + r));
        if (!refusals.isEmpty()) {
            err.println("nothing was changed: fix the answers or pass the option named above");
        }
        err.flush();
        return refusals.isEmpty();
    }

    /**
     * Makes the external etcd's live membership the answers' when it is not: 0 when it is or was made so (or no etcd
     * host answered, warned), 1 when refused, not confirmed or a step failed.
     */
    public int etcdMembers(PrintWriter out, PrintWriter err, Confirmation confirmation,
                           UpgradeRun.Execution execution) {
        ClusterSpec spec = workspace.spec();
        if (spec.stackedEtcd() || !Files.exists(HandOver.kubeconfigPath(workspace.state()))) {
            return 0;
        }
        EtcdMembershipSurvey.Found found = EtcdMembershipSurvey.read(spec, settings);
        if (found.members().isEmpty()) {
            err.println("warning: no etcd host answered etcdctl member list (" + String.join("; ", found.tried())
                    + "): the etcd membership is left as it is");
            err.flush();
            return 0;
        }
        EtcdMembership change = EtcdMembership.of(spec, found.members().get());
        if (change.unchanged() && found.staleApiservers().isEmpty()) {
            return 0;
        }
        change.joining().forEach(h -> out.println("etcd: " + h.name() + " joins (member add --learner, started,"
                + " promoted)"));
        change.leaving().forEach(m -> out.println("etcd: " + (m.name().isEmpty() ? m.id() : m.name())
                + " leaves (member remove " + m.id() + ", its etcd stopped and its data deleted)"));
        out.println("etcd: the kube-apiservers' etcd endpoints become the answers' " + change.rule().after()
                + " members, one control plane at a time");
        out.flush();
        List<String> refused = new ArrayList<>(change.rule().refusals(allowed).stream()
                .map(EtcdMembershipRule.Refusal::text).toList());
        if (change.staying().isEmpty()) {
            refused.add("no etcd host of the answers is a started voting member: keep one to change the others");
        }
        if (!refused.isEmpty()) {
            refused.forEach(r -> err.println("refused: " + r));
            err.println("nothing was changed");
            err.flush();
            return 1;
        }
        if (!confirmation.confirm("Change the etcd membership of cluster " + spec.cluster().name() + " as listed?")) {
            err.println("not confirmed: nothing was changed (use --yes to run without asking)");
            err.flush();
            return 1;
        }
        return change(change, out, err, execution);
    }

    private int change(EtcdMembership change, PrintWriter out, PrintWriter err, UpgradeRun.Execution execution) {
        ClusterSpec spec = workspace.spec();
        List<HostSpec> hosts = new ArrayList<>(spec.hosts());
        for (EtcdMembership.Member m : change.leaving()) {
            if (hosts.stream().noneMatch(h -> h.name().equals(m.name()))) {
                hosts.add(EtcdMembership.hostOf(m));
            }
        }
        ClusterWorkspace withLeaving = new ClusterWorkspace(spec.withHosts(hosts), workspace.state(),
                workspace.secrets(), workspace.pki(), workspace.clusterCa());
        try (InstallSession session = new InstallSession(withLeaving, settings, PARALLEL, clock)) {
            out.println("etcd membership: connecting to " + hosts.size() + " hosts and taking their locks");
            out.flush();
            InstallSession.Preparation prepared;
            try {
                prepared = session.prepare(breakLock, options.unreachable(), EtcdMembers.WORKFLOW, probed -> {
                    Map<String, HostFacts> facts = new LinkedHashMap<>(InstallSession.facts(probed));
                    facts.keySet().retainAll(spec.hosts().stream().map(HostSpec::name).toList());
                    SourceFiles sources = change.joining().isEmpty() ? SourceFiles.NONE
                            : session.download(facts, sites, Releases.ETCD, new DownloadLines(out));
                    return new EtcdMembersInput(workspace.planInput(facts, AddonFiles.NONE, sources)
                            .withMembership(options), change);
                });
            } catch (SourceException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            }
            prepared.blockers().forEach(b -> err.println("error: " + b.text()));
            Optional<Plan> plan = prepared.plan();
            if (!prepared.ready() || plan.isEmpty()) {
                List<String> gone = prepared.blockers().stream().flatMap(b -> b.host().stream())
                        .filter(h -> change.leaving().stream().anyMatch(m -> m.name().equals(h))).toList();
                err.println("the etcd membership was not changed: every host must be reachable"
                        + (gone.isEmpty() ? "" : "; if " + String.join(", ", gone) + " is gone for good, apply again"
                        + " with " + MembershipOptions.ALLOW_UNREACHABLE + " " + String.join(",", gone)
                        + " (its member is removed by its ID and its host left as it is)"));
                err.flush();
                return 1;
            }
            RunResult result = execution.run(session, plan.get());
            if (!result.ok()) {
                failed(result, err);
                return 1;
            }
            out.println("etcd membership: done, " + change.rule().after() + " voting members");
            out.flush();
            return 0;
        }
    }

    /** Prints a run's failures and how to resume it. */
    public static void failed(RunResult result, PrintWriter err) {
        result.failures().forEach(f -> err.println("failed: " + f.text()));
        err.println(result.cancelled() ? "cancelled: finished steps are journaled; run again to resume"
                : "the journal keeps every finished step: fix the cause and run the same command again");
        err.flush();
    }
}
