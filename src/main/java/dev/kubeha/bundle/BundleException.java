package dev.kubeha.bundle;

/** A bundle that cannot be written, read or trusted; the message names the file or item and what to do. */
public final class BundleException extends RuntimeException {
    public BundleException(String message) {
        super(message);
    }
}
