package dev.kubeha.tui;

/** Where the live check of one host stands. */
public sealed interface ProbeStatus {
    /** Sent and not answered yet. */
    record Pending() implements ProbeStatus {
    }

    /** Answered. */
    record Done(ProbeReport report) implements ProbeStatus {
    }
}
