package dev.kubeha.cli;

import dev.kubeha.exec.RunResult;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.install.AppliedRecord;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.InstallSession;
import dev.kubeha.install.UpgradeRun;
import dev.kubeha.plan.EtcdUpgrade;
import dev.kubeha.plan.EtcdUpgradeInput;
import dev.kubeha.plan.Plan;
import dev.kubeha.progress.DownloadLines;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceException;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.state.StateException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code kubeha upgrade-etcd}: brings the external etcd members to the answers' etcd.version, one at a time. */
public final class EtcdUpgradeCommand implements Command {
    @Override
    public String name() {
        return "upgrade-etcd";
    }

    @Override
    public String summary() {
        return "Upgrade the external etcd members to etcd.version one at a time, with a snapshot first.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, ApplyCommand.YES, ApplyCommand.ACCEPT_NEW, ApplyCommand.BREAK_LOCK,
                Workspace.STATE_DIR, Workspace.RELEASE_MIRROR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Phases: " + String.join(", ", EtcdUpgrade.WORKFLOW.phaseNames()) + ".",
                "Change etcd.version (and etcd.archive when it is local) in the answers first. Every member must run",
                "that minor or the one before; no member may run a newer version. Re-runs resume.");
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        ReleaseSites sites = Workspace.releaseSites(args, name());
        Optional<Workspace> opened = Workspace.open(args, context);
        if (opened.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        Workspace w = opened.get();
        Optional<String> unsupported = EtcdUpgrade.unsupported(w.spec());
        if (unsupported.isPresent()) {
            context.err().println("refused: " + unsupported.get());
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        return upgrade(args, context, w, sites);
    }

    /**
     * The etcd upgrade of {@code w}'s members to its etcd.version, for this command and for apply: asked for unless
     * --yes, the pre-upgrade snapshot copied to the state directory once taken.
     */
    static int upgrade(Arguments args, CliContext context, Workspace w, ReleaseSites sites) {
        SshSettings settings = SshSettings.defaults(w.state().root(),
                ConsolePrompts.hostKeys(args.flag(ApplyCommand.ACCEPT_NEW.name())), ConsolePrompts.secrets());
        try (InstallSession session = new InstallSession(w.cluster(), settings, 32, context.clock())) {
            context.out().println("etcd upgrade to " + w.spec().etcd().version() + ": connecting to "
                    + w.spec().hosts().size() + " hosts and taking their locks");
            context.out().flush();
            InstallSession.Preparation prepared;
            try {
                prepared = session.prepare(args.flag(ApplyCommand.BREAK_LOCK.name()), EtcdUpgrade.WORKFLOW,
                        probed -> {
                            Map<String, HostFacts> facts = InstallSession.facts(probed);
                            return new EtcdUpgradeInput(w.cluster().planInput(facts, AddonFiles.NONE,
                                    session.download(facts, sites, Releases.ETCD, new DownloadLines(context.out()))),
                                    w.cluster().backupInput());
                        });
            } catch (SourceException e) {
                context.err().println("error: " + e.getMessage());
                context.err().flush();
                return ExitCodes.PROBLEMS;
            }
            Optional<Plan> ready = UpgradeRun.readyPlan(prepared, context.err());
            if (ready.isEmpty()) {
                return ExitCodes.PROBLEMS;
            }
            Plan plan = ready.get();
            if (!args.flag(ApplyCommand.YES.name()) && !ConsolePrompts.confirm("Upgrade the etcd members of cluster "
                    + w.spec().cluster().name() + " to " + w.spec().etcd().version() + " one at a time?")) {
                context.err().println("not confirmed: nothing was changed (use --yes to run without asking)");
                return ExitCodes.PROBLEMS;
            }
            RunResult result = ApplyCommand.outcome(ApplyCommand.execute(session, plan, context), context);
            if (EtcdUpgrade.snapshotTaken(plan, session::journaled)) {
                UpgradeRun.keepBackup(session, w.spec(), EtcdUpgrade.backupFile(w.spec()), context.out(),
                        context.err());
            }
            if (!result.ok()) {
                return ApplyCommand.failed(result, context);
            }
            try {
                AppliedRecord.etcdUpgraded(w.state(), w.spec().etcd().version());
            } catch (StateException e) {
                context.err().println("warning: the applied record keeps its etcd version: " + e.getMessage());
            }
            context.out().println("done: every etcd member runs " + w.spec().etcd().version() + " and is healthy");
            context.out().flush();
            return ExitCodes.OK;
        }
    }
}
