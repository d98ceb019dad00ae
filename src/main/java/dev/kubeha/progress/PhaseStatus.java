package dev.kubeha.progress;

/** One phase of the plan and whether it has run. */
public record PhaseStatus(String name, String title, State state) {
    /** Where a phase stands. */
    public enum State { PENDING, RUNNING, DONE, FAILED }
}
