package dev.kubeha.exec;

import dev.kubeha.plan.Step;

/** Decides what follows a step that failed for good: the TUI asks the operator; headless runs stop that host. */
@FunctionalInterface
public interface FailureHandler {
    /** What to do with the failed step. */
    enum Decision { RETRY, SKIP, ABORT }

    FailureHandler ABORT = (step, error) -> Decision.ABORT;

    /** Called on the failing host's worker thread; may block while the operator decides. */
    Decision decide(Step step, String error);
}
