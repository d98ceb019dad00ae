package dev.kubeha.cli;

import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.UpgradeRun;
import dev.kubeha.model.UpgradePath;
import dev.kubeha.plan.Upgrade;
import dev.kubeha.ssh.SshSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code kubeha upgrade}: upgrades the cluster's Kubernetes by one minor (or a patch), node by node, resumable. */
public final class UpgradeCommand implements Command {
    static final Option TO = Option.value(null, "--to", "VERSION", "The target Kubernetes version, e.g. 1.37.1.")
            .mandatory();
    static final Option MAX_UNAVAILABLE = Option.value(null, "--max-unavailable", "N",
            "How many workers are drained and upgraded together (default 1).");

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
        return List.of(Workspace.FILE, TO, MAX_UNAVAILABLE, Membership.DRAIN_TIMEOUT, ApplyCommand.YES, ApplyCommand.ACCEPT_NEW,
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
        Duration drainTimeout = Membership.options(args, name()).drainTimeout();
        Optional<Workspace> opened = Workspace.open(args, context);
        if (opened.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        ClusterWorkspace current = opened.get().cluster();
        UpgradePath path;
        try {
            path = UpgradeRun.path(current.spec(), args.value(TO));
        } catch (UpgradePath.Refused e) {
            e.reasons().forEach(r -> context.err().println("refused: " + r));
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        SshSettings settings = SshSettings.defaults(current.state().root(),
                ConsolePrompts.hostKeys(args.flag(ApplyCommand.ACCEPT_NEW.name())), ConsolePrompts.secrets());
        UpgradeRun upgrade = new UpgradeRun(current, path, maxUnavailable,
                args.path(Workspace.FILE.name()).orElseThrow(), settings, args.flag(ApplyCommand.BREAK_LOCK.name()),
                context.clock(), drainTimeout);
        return upgrade.run(context.out(), context.err(), plan -> args.flag(ApplyCommand.YES.name())
                || ConsolePrompts.confirm("Upgrade cluster " + current.spec().cluster().name() + " from " + path.from()
                + " to " + path.to() + " in " + plan.phases().size() + " phases (" + String.join(", ",
                plan.phaseNames()) + ")?"), (session, plan) -> ApplyCommand.outcome(ApplyCommand.execute(session, plan, context), context));
    }
}
