package dev.kubeha.cli;

import dev.kubeha.exec.RunResult;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.EtcdMembershipSurvey;
import dev.kubeha.install.HandOver;
import dev.kubeha.install.InstallSession;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.plan.EtcdMembers;
import dev.kubeha.plan.EtcdMembersInput;
import dev.kubeha.plan.EtcdMembership;
import dev.kubeha.plan.EtcdMembershipRefusals;
import dev.kubeha.plan.MembershipOptions;
import dev.kubeha.plan.Plan;
import dev.kubeha.progress.DownloadLines;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceException;
import dev.kubeha.sources.SourceFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * apply's external etcd membership change, before the install plan: the live members (etcdctl member list) against
 * the answers' etcd hosts; refused with the reasons, or the members added and removed by {@link EtcdMembers}.
 */
final class EtcdMembershipApply {
    private EtcdMembershipApply() {
    }

    /** OK when etcd's membership is what the answers say, or was made so; PROBLEMS when refused or failed. */
    static int run(Arguments args, CliContext context, Workspace w, ReleaseSites sites,
                   MembershipOptions membership) {
        ClusterSpec spec = w.spec();
        if (spec.stackedEtcd() || !Files.exists(HandOver.kubeconfigPath(w.state()))) {
            return ExitCodes.OK;
        }
        EtcdMembershipSurvey.Found found = EtcdMembershipSurvey.read(spec, w.ssh(args));
        if (found.members().isEmpty()) {
            context.err().println("warning: no etcd host answered etcdctl member list (" + String.join("; ",
                    found.tried()) + "): the etcd membership is left as it is");
            return ExitCodes.OK;
        }
        EtcdMembership change = EtcdMembership.of(spec, found.members().get());
        if (change.unchanged() && found.staleApiservers().isEmpty()) {
            return ExitCodes.OK;
        }
        change.joining().forEach(h -> context.out().println("etcd: " + h.name() + " joins (member add --learner,"
                + " started, promoted)"));
        change.leaving().forEach(m -> context.out().println("etcd: " + (m.name().isEmpty() ? m.id() : m.name())
                + " leaves (member remove " + m.id() + ", its etcd stopped and its data deleted)"));
        context.out().println("etcd: the kube-apiservers' etcd endpoints become the answers' "
                + (change.staying().size() + change.joining().size()) + " members, one control plane at a time");
        List<String> refused = new ArrayList<>(EtcdMembershipRefusals.of(change, new EtcdMembershipRefusals.Allowed(
                args.flag(Membership.ALLOW_EVEN.name()), args.flag(Membership.ALLOW_REMOVAL.name()))).stream()
                .map(EtcdMembershipRefusals.Refusal::text).toList());
        if (change.staying().isEmpty()) {
            refused.add("no etcd host of the answers is a started voting member: keep one to change the others");
        }
        if (!refused.isEmpty()) {
            refused.forEach(r -> context.err().println("refused: " + r));
            context.err().println("nothing was changed");
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        if (!args.flag(ApplyCommand.YES.name()) && !ConsolePrompts.confirm("Change the etcd membership of cluster "
                + spec.cluster().name() + " as listed?")) {
            context.err().println("not confirmed: nothing was changed (use --yes to run without asking)");
            return ExitCodes.PROBLEMS;
        }
        return change(args, context, w, sites, change, membership);
    }

    private static int change(Arguments args, CliContext context, Workspace w, ReleaseSites sites,
                              EtcdMembership change, MembershipOptions membership) {
        ClusterSpec spec = w.spec();
        List<HostSpec> hosts = new ArrayList<>(spec.hosts());
        for (EtcdMembership.Member m : change.leaving()) {
            if (hosts.stream().noneMatch(h -> h.name().equals(m.name()))) {
                hosts.add(EtcdMembership.hostOf(m));
            }
        }
        ClusterWorkspace answers = w.cluster();
        ClusterWorkspace withLeaving = new ClusterWorkspace(spec.withHosts(hosts), answers.state(), answers.secrets(),
                answers.pki(), answers.clusterCa());
        try (InstallSession session = new InstallSession(withLeaving, w.ssh(args), 32, context.clock())) {
            context.out().println("etcd membership: connecting to " + hosts.size() + " hosts and taking their locks");
            context.out().flush();
            InstallSession.Preparation prepared;
            try {
                prepared = session.prepare(args.flag(ApplyCommand.BREAK_LOCK.name()), membership.unreachable(),
                        EtcdMembers.WORKFLOW, probed -> {
                    Map<String, HostFacts> facts = new LinkedHashMap<>(InstallSession.facts(probed));
                    facts.keySet().retainAll(spec.hosts().stream().map(HostSpec::name).toList());
                    SourceFiles sources = change.joining().isEmpty() ? SourceFiles.NONE
                            : session.download(facts, sites, Releases.ETCD, new DownloadLines(context.out()));
                    return new EtcdMembersInput(answers.planInput(facts, AddonFiles.NONE, sources)
                            .withMembership(membership), change);
                });
            } catch (SourceException e) {
                context.err().println("error: " + e.getMessage());
                context.err().flush();
                return ExitCodes.PROBLEMS;
            }
            prepared.blockers().forEach(b -> context.err().println("error: " + b.text()));
            Optional<Plan> plan = prepared.plan();
            if (!prepared.ready() || plan.isEmpty()) {
                List<String> gone = prepared.blockers().stream().flatMap(b -> b.host().stream())
                        .filter(h -> change.leaving().stream().anyMatch(m -> m.name().equals(h))).toList();
                context.err().println("the etcd membership was not changed: every host must be reachable"
                        + (gone.isEmpty() ? "" : "; if " + String.join(", ", gone) + " is gone for good, apply again"
                        + " with --allow-unreachable " + String.join(",", gone) + " (its member is removed by its ID"
                        + " and its host left as it is)"));
                context.err().flush();
                return ExitCodes.PROBLEMS;
            }
            InstallSession.Outcome outcome = ApplyCommand.execute(session, plan.get(), context);
            outcome.supportBundles().forEach(b -> context.err().println("support bundle: " + b.text()));
            RunResult result = outcome.result();
            if (!result.ok()) {
                return ApplyCommand.failed(result, context);
            }
            context.out().println("etcd membership: done, " + (change.staying().size() + change.joining().size())
                    + " voting members");
            context.out().flush();
            return ExitCodes.OK;
        }
    }
}
