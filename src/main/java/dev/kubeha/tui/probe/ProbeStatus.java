package dev.kubeha.tui.probe;

/** Where one live check stands. */
public sealed interface ProbeStatus<R> {
    /** Waiting for the debounce, queued or running; {@code stage} says which ("waiting", "logging in", ...). */
    record Pending<R>(String stage) implements ProbeStatus<R> {
    }

    /** Answered. */
    record Done<R>(R result) implements ProbeStatus<R> {
    }
}
