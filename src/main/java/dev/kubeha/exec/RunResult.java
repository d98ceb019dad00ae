package dev.kubeha.exec;

import dev.kubeha.events.RunFailure;
import java.util.List;

/** How a plan run ended: every failure with its host and step, and whether it was cancelled. */
public record RunResult(boolean cancelled, List<RunFailure> failures) {
    public RunResult {
        failures = List.copyOf(failures);
    }

    public boolean ok() {
        return !cancelled && failures.isEmpty();
    }
}
