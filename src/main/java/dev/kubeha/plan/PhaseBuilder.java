package dev.kubeha.plan;

import java.util.Optional;

/**
 * Builds one phase of a workflow from the workflow's input, under the name the workflow gives it; empty when the
 * phase has nothing to do for this cluster.
 */
@FunctionalInterface
public interface PhaseBuilder<I> {
    Optional<Phase> build(String name, I input);
}
