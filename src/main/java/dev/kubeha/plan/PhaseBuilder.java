package dev.kubeha.plan;

import java.util.Optional;

/** Builds one phase of the install from the plan input; empty when the phase has nothing to do for this cluster. */
public interface PhaseBuilder {
    /** The phase's stable name, as --only and --skip take it. */
    String name();

    Optional<Phase> build(PlanInput input);
}
