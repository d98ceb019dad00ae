package dev.kubeha.cli;

import dev.kubeha.exec.RunResult;
import dev.kubeha.install.InstallSession;

/** Runs a prepared workflow headless and prints what stopped it: the blockers, failed steps and support bundles. */
final class PreparedRun {
    private PreparedRun() {
    }

    /**
     * True when every step ran and verified; otherwise prints {@code notRun} (nothing could be planned) or
     * {@code stopped} (a step failed) after the reasons.
     */
    static boolean succeeded(InstallSession session, InstallSession.Preparation prepared, CliContext context,
                             String notRun, String stopped) {
        prepared.blockers().forEach(u -> context.err().println("error: " + u.text()));
        if (!prepared.ready()) {
            context.err().println(notRun);
            context.err().flush();
            return false;
        }
        InstallSession.Outcome outcome = ApplyCommand.execute(session, prepared.plan().orElseThrow(), context);
        outcome.supportBundles().forEach(b -> context.err().println("support bundle: " + b.text()));
        RunResult result = outcome.result();
        if (!result.ok()) {
            result.failures().forEach(f -> context.err().println("failed: " + f.text()));
            context.err().println(stopped);
            context.err().flush();
            return false;
        }
        return true;
    }
}
