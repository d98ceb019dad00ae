package dev.kubeha.events;

/** How a successful step ended. */
public enum StepOutcome {
    /** Operations ran and changed the host. */
    APPLIED,
    /** Every operation's check said it was already done; nothing changed. */
    ALREADY_DONE,
    /** A step that only checks (no operations): its verification holds. */
    CHECKED,
    /** The journal says this exact step finished in an earlier run. */
    JOURNALED,
    /** It failed and the operator chose to skip it; it is not journaled, so the next run tries it again. */
    SKIPPED
}
