package dev.kubeha.cli;

import dev.kubeha.plan.Reset;
import java.util.List;
import java.util.Optional;

/** {@code kubeha reset}: takes the cluster apart on every host so that a new apply on them succeeds. */
public final class ResetCommand implements Command {
    @Override
    public String name() {
        return "reset";
    }

    @Override
    public String summary() {
        return "Tear the cluster down on its hosts (kubeadm reset, CNI and proxy leftovers, etcd data, VIP).";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, ApplyCommand.YES, ApplyCommand.ACCEPT_NEW, ApplyCommand.BREAK_LOCK,
                Workspace.STATE_DIR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Without --yes, reset asks for the cluster's name before it removes anything: etcd's data",
                "(every Kubernetes object) is deleted. Packages, kernel settings, firewall ports and the state",
                "directory's secrets and CAs stay, so the same answers file installs the cluster again.");
    }

    @Override
    public int run(Arguments args, CliContext context) {
        Optional<Workspace> opened = Workspace.open(args, context);
        if (opened.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        Workspace w = opened.get();
        String cluster = w.spec().cluster().name();
        if (!WorkflowRun.confirmedByName(args, context, "This deletes cluster " + cluster
                + ": every Kubernetes object and etcd's data. Type the cluster name to go on:", cluster)) {
            return ExitCodes.PROBLEMS;
        }
        return WorkflowRun.run(args, context, w, Reset.WORKFLOW, w.spec(), (session, plan) -> {
            session.forgetInstall();
            context.out().println("reset: cluster " + cluster + " is removed from its " + w.spec().hosts().size()
                    + " hosts; kubeha apply -f " + args.path(Workspace.FILE.name()).orElseThrow()
                    + " installs it again (logs: " + session.logs() + ")");
            context.out().flush();
            return ExitCodes.OK;
        });
    }
}
