package dev.kubeha.exec;

/** A failure another attempt will not fix: a command that ran and exited non-zero. */
public class StepFailure extends RuntimeException {
    public StepFailure(String message) {
        super(message);
    }

    public StepFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
