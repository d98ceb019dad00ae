package dev.kubeha.plan;

import java.util.Optional;

/** Builds one phase of the install from the plan input; empty when the phase has nothing to do for this cluster. */
public abstract class PhaseBuilder {
    private final String name;

    protected PhaseBuilder(String name) {
        this.name = name;
    }

    /** The phase's stable name, as --only and --skip take it. */
    public final String name() {
        return name;
    }

    public abstract Optional<Phase> build(PlanInput input);
}
