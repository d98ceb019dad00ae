package dev.kubeha.plan;

import java.util.Optional;

/**
 * Runs a shell command as root, unless {@code doneWhen} (when present) exits 0, which means it is already done.
 *
 * @param command the mutation
 * @param doneWhen a read-only check; absent means the command is itself idempotent and always runs
 */
public record RunCommand(String command, Optional<String> doneWhen) implements Operation {
    public static RunCommand always(String command) {
        return new RunCommand(command, Optional.empty());
    }

    public static RunCommand unless(String doneWhen, String command) {
        return new RunCommand(command, Optional.of(doneWhen));
    }

    @Override
    public String describe() {
        return doneWhen.map(check -> "run " + command + "   (unless: " + check + ")").orElse("run " + command);
    }
}
