package dev.kubeha.plan;

import java.util.Optional;

/**
 * Runs a shell command as root, unless {@code doneWhen} (when present) exits 0, which means it is already done.
 *
 * @param command the mutation
 * @param doneWhen a read-only check; absent means the command is itself idempotent and always runs
 * @param onlyAfterChange run only when an earlier operation of the same step changed the host (a reload)
 */
public record RunCommand(String command, Optional<String> doneWhen, boolean onlyAfterChange) implements Operation {
    public static RunCommand always(String command) {
        return new RunCommand(command, Optional.empty(), false);
    }

    public static RunCommand unless(String doneWhen, String command) {
        return new RunCommand(command, Optional.of(doneWhen), false);
    }

    public static RunCommand afterChange(String command) {
        return new RunCommand(command, Optional.empty(), true);
    }

    @Override
    public String describe() {
        if (onlyAfterChange) {
            return "run " + command + "   (only after a change above)";
        }
        return doneWhen.map(check -> "run " + command + "   (unless: " + check + ")").orElse("run " + command);
    }
}
