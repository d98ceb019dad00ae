package dev.kubeha.exec;

/** A failure worth another attempt: a dropped connection, a timeout, a verification not yet true. */
public class TransientFailure extends RuntimeException {
    public TransientFailure(String message) {
        super(message);
    }

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
