package dev.kubeha.cli;

import dev.kubeha.events.EventSink;
import dev.kubeha.exec.RunResult;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.InstallSession;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.Workflow;
import dev.kubeha.ssh.SshException;
import dev.kubeha.ssh.SshSettings;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** Runs a day-2 workflow headless: connect, lock and probe every host, plan, run, print failures. */
final class WorkflowRun {
    /** What a command does once the workflow has run successfully; returns the exit code. */
    @FunctionalInterface
    interface AfterRun {
        int done(InstallSession session, Plan plan);
    }

    /** The workflow's input, built once every host is connected, locked and probed (it may ask the hosts). */
    @FunctionalInterface
    interface InputFor<I> {
        I input(InstallSession session) throws SshException;
    }

    /** Why the input could not be built; carries the cause out of the planning. */
    private static final class NoInput extends RuntimeException {
        NoInput(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    private WorkflowRun() {
    }

    /**
     * Runs body on the opened workspace when its cluster has kubeha's external etcd (what backup and restore work
     * on); otherwise prints why not and returns the problems exit code.
     */
    static int withExternalEtcd(Arguments args, CliContext context, String command,
                                ToIntFunction<Workspace> body) {
        Optional<Workspace> opened = Workspace.open(args, context);
        if (opened.isPresent() && opened.get().spec().stackedEtcd()) {
            context.err().println(command + ": cluster " + opened.get().spec().cluster().name()
                    + " has no external etcd of kubeha's (no host with the etcd role)");
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        return opened.isEmpty() ? ExitCodes.PROBLEMS : body.applyAsInt(opened.get());
    }

    /** True with --yes, or when the operator typed the cluster's name; otherwise says nothing was changed. */
    static boolean confirmedByName(Arguments args, CliContext context, String question, String cluster) {
        if (args.flag(ApplyCommand.YES.name()) || ConsolePrompts.confirmByTyping(question, cluster)) {
            return true;
        }
        context.err().println("not confirmed: nothing was changed (type the cluster name '" + cluster
                + "' when asked, or pass --yes)");
        context.err().flush();
        return false;
    }

    static <I> int run(Arguments args, CliContext context, Workspace w, Workflow<I> workflow, I input,
                       AfterRun after) {
        return run(args, context, w, workflow, session -> input, event -> { }, after);
    }

    static <I> int run(Arguments args, CliContext context, Workspace w, Workflow<I> workflow, InputFor<I> input,
                       EventSink also, AfterRun after) {
        SshSettings settings = w.ssh(args);
        try (InstallSession session = new InstallSession(w.cluster(), settings, 32, context.clock())) {
            context.out().println(workflow.name() + ": connecting to " + w.spec().hosts().size() + " hosts of cluster "
                    + w.spec().cluster().name() + " and taking their locks");
            context.out().flush();
            InstallSession.Preparation prepared;
            try {
                prepared = session.prepare(args.flag(ApplyCommand.BREAK_LOCK.name()), workflow, probed -> {
                    try {
                        return input.input(session);
                    } catch (SshException | IllegalArgumentException e) {
                        throw new NoInput(e);
                    }
                });
            } catch (NoInput e) {
                context.err().println(workflow.name() + ": nothing was changed: " + e.getMessage());
                context.err().flush();
                return ExitCodes.PROBLEMS;
            }
            prepared.blockers().forEach(u -> context.err().println("error: " + u.text()));
            if (!prepared.ready()) {
                context.err().println("nothing was changed: every host must be reachable");
                context.err().flush();
                return ExitCodes.PROBLEMS;
            }
            Plan plan = prepared.plan().orElseThrow();
            RunResult result = ApplyCommand.outcome(ApplyCommand.execute(session, plan, context, also), context);
            if (!result.ok()) {
                result.failures().forEach(f -> context.err().println("failed: " + f.text()));
                context.err().println(workflow.name() + " stopped: fix the cause and run it again (every step checks"
                        + " first; logs: " + session.logs() + ")");
                context.err().flush();
                return ExitCodes.PROBLEMS;
            }
            return after.done(session, plan);
        }
    }
}
