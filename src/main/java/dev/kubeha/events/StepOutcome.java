package dev.kubeha.events;

/** How a successful step ended. */
public enum StepOutcome {
    /** Operations ran and changed the host. */
    APPLIED,
    /** Every operation's check said it was already done; nothing changed. */
    ALREADY_DONE,
    /** The journal says this exact step finished in an earlier run. */
    JOURNALED
}
