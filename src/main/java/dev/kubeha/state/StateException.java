package dev.kubeha.state;

/** A state directory or state file that kubeha cannot use, with a message that names the path and the fix. */
public final class StateException extends RuntimeException {
    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
