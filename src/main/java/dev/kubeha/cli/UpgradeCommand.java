package dev.kubeha.cli;

import dev.kubeha.answers.VersionEdit;
import dev.kubeha.exec.RunResult;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.install.AddonSources;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.HealthzProbe;
import dev.kubeha.install.InstallSession;
import dev.kubeha.install.IssuedCertificates;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.UpgradePath;
import dev.kubeha.model.Version;
import dev.kubeha.plan.EtcdCtl;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.Upgrade;
import dev.kubeha.plan.UpgradeInput;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.ssh.SshSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code kubeha upgrade}: upgrades the cluster's Kubernetes by one minor (or a patch), node by node, resumable. */
public final class UpgradeCommand implements Command {
    static final Option TO = Option.value(null, "--to", "VERSION", "The target Kubernetes version, e.g. 1.37.1.")
            .mandatory();
    static final Option MAX_UNAVAILABLE = Option.value(null, "--max-unavailable", "N",
            "How many workers are drained and upgraded together (default 1).");
    static final Duration CERTIFICATE_MARGIN = Duration.ofDays(1);

    @Override
    public String name() {
        return "upgrade";
    }

    @Override
    public String summary() {
        return "Upgrade Kubernetes by one minor version, node by node, with an etcd backup first; re-runs resume.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, TO, MAX_UNAVAILABLE, ApplyCommand.YES, ApplyCommand.ACCEPT_NEW,
                ApplyCommand.BREAK_LOCK, Workspace.STATE_DIR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Phases: " + String.join(", ", Upgrade.WORKFLOW.phaseNames()) + ".",
                "One minor at a time; downgrades and minors kubeha does not support are refused.",
                "After success the answers file's cluster.kubernetesVersion is set to the target (comments kept).",
                "Exit codes: 0 upgraded and verified, 1 refused, problems or a failed step, 2 usage error.");
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        int maxUnavailable = ApplyCommand.atLeastOne(args, MAX_UNAVAILABLE, "1", name());
        Optional<Workspace> opened = Workspace.open(args, context);
        if (opened.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        ClusterWorkspace current = opened.get().cluster();
        ClusterSpec spec = current.spec();
        UpgradePath path;
        try {
            path = UpgradePath.check(spec.cluster().kubernetesVersion(), args.value(TO),
                    spec.addons().kubePrometheus());
        } catch (UpgradePath.Refused e) {
            e.reasons().forEach(r -> context.err().println("refused: " + r));
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        if (!spec.stackedEtcd() && Version.parse(spec.etcd().version())
                .filter(v -> v.compareTo(path.release().minExternalEtcd()) < 0).isPresent()) {
            context.err().println("warning: etcd.version " + spec.etcd().version() + " is older than "
                    + path.release().minExternalEtcd() + ", the oldest external etcd Kubernetes " + path.to().minorLine()
                    + " supports; kubeadm's check is skipped as at install: upgrade etcd soon");
        }
        ClusterWorkspace target = new ClusterWorkspace(spec.withKubernetesVersion(path.to().toString()),
                current.state(), current.secrets(), current.pki(), current.clusterCa());
        List<String> ending = IssuedCertificates.endingBefore(target, context.clock().instant()
                .plus(CERTIFICATE_MARGIN));
        if (!ending.isEmpty()) {
            ending.forEach(c -> context.err().println("refused: certificate ending within "
                    + CERTIFICATE_MARGIN.toHours() + " h: " + c));
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        SshSettings settings = SshSettings.defaults(target.state().root(),
                ConsolePrompts.hostKeys(args.flag(ApplyCommand.ACCEPT_NEW.name())), ConsolePrompts.secrets());
        try (InstallSession session = new InstallSession(target, settings, 32, context.clock())) {
            return upgrade(args, context, session, target, path, maxUnavailable);
        }
    }

    private int upgrade(Arguments args, CliContext context, InstallSession session, ClusterWorkspace target,
                        UpgradePath path, int maxUnavailable) {
        var out = context.out();
        out.println("upgrade " + path.from() + " -> " + path.to() + ": connecting to " + target.spec().hosts().size()
                + " hosts and taking their locks");
        out.flush();
        InstallSession.Preparation prepared = session.prepare(args.flag(ApplyCommand.BREAK_LOCK.name()),
                Upgrade.WORKFLOW, probed -> {
                    Map<String, HostFacts> facts = InstallSession.facts(probed);
                    return new UpgradeInput(target.planInput(facts, AddonSources.cached(target.spec(),
                            SourceCache.sharedBy(target.state().root()))), path, maxUnavailable,
                            UpgradeInput.DEFAULT_DRAIN_TIMEOUT);
                });
        Optional<Plan> ready = readyPlan(prepared, context);
        if (ready.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        Plan plan = ready.get();
        if (!args.flag(ApplyCommand.YES.name()) && !ConsolePrompts.confirm("Upgrade cluster "
                + target.spec().cluster().name() + " from " + path.from() + " to " + path.to() + " in "
                + plan.phases().size() + " phases (" + String.join(", ", plan.phaseNames()) + ")?")) {
            context.err().println("not confirmed: nothing was changed (use --yes to run without asking)");
            return ExitCodes.PROBLEMS;
        }
        InstallSession.Outcome outcome;
        HealthzProbe.Report healthz;
        try (HealthzProbe probe = HealthzProbe.start(target.spec(), target.clusterCa(), context.clock())) {
            outcome = ApplyCommand.execute(session, plan, context);
            healthz = probe.report();
        }
        outcome.supportBundles().forEach(b -> context.err().println("support bundle: " + b.text()));
        out.println("healthz during the upgrade: " + healthz.text());
        if (plan.phaseNames().contains(Upgrade.BACKUP)) {
            out.println("etcd backup taken before the upgrade: " + EtcdCtl.members(target.spec())
                    .get(0).name() + ":" + UpgradeInput.backupFile(path));
        }
        RunResult result = outcome.result();
        if (!result.ok()) {
            return ApplyCommand.failed(result, context);
        }
        Path answers = args.path(Workspace.FILE.name()).orElseThrow();
        try {
            VersionEdit.setKubernetesVersion(answers, path.to().toString());
        } catch (IOException | VersionEdit.EditException e) {
            context.err().println("upgraded, but " + answers + " still says " + path.from() + ": " + e.getMessage()
                    + "; set cluster.kubernetesVersion to " + path.to() + " yourself");
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        out.println("done: cluster " + target.spec().cluster().name() + " runs Kubernetes " + path.to() + "; "
                + answers + " says so (logs: " + session.logs() + ")");
        out.flush();
        return ExitCodes.OK;
    }

    /** The prepared plan, or empty after printing what kept a host from being reached, locked or probed. */
    static Optional<Plan> readyPlan(InstallSession.Preparation prepared, CliContext context) {
        prepared.blockers().forEach(b -> context.err().println("error: " + b.text()));
        if (!prepared.ready()) {
            context.err().println("nothing was upgraded: every host must be reachable");
            context.err().flush();
        }
        return prepared.plan();
    }
}
