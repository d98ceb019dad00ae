package dev.kubeha.facts;

/** The facts of one host could not be probed: the message names the host and what went wrong. */
public final class FactsException extends Exception {
    public FactsException(String message) {
        super(message);
    }

    public FactsException(String message, Throwable cause) {
        super(message, cause);
    }
}
