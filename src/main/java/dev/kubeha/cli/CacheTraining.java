package dev.kubeha.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * The start-up cache's training run (jlink/train-cache.sh), not a command: in one JVM, validates an answers file
 * (what {@code kubeha validate} loads) and then, when given a state directory, opens the full-screen wizard on the
 * terminal it runs in (the script types F10 once the first frame shows). The cache then serves both paths.
 * Usage: CacheTraining ANSWERS_FILE [STATE_DIR]
 */
public final class CacheTraining {
    private CacheTraining() {
    }

    public static void main(String[] args) {
        StringWriter ignored = new StringWriter();
        PrintWriter quiet = new PrintWriter(ignored);
        int validate = Main.run(new CliContext(quiet, quiet, Main.systemClock()), "validate", "-f", args[0]);
        if (validate != ExitCodes.OK) {
            System.err.println("kubeha cache training: validate " + args[0] + " exited " + validate + ": " + ignored);
            System.exit(validate);
        }
        if (args.length > 1) {
            int wizard = Main.run(new CliContext(quiet, new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                    Main.systemClock()), "--no-probe", "--state-dir", args[1]);
            System.exit(wizard);
        }
        System.exit(0);
    }
}
