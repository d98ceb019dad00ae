package dev.kubeha.sources;

/** A file that cannot be fetched or trusted; the message names the field, URL or file and what to do. */
public final class SourceException extends RuntimeException {
    public SourceException(String message) {
        super(message);
    }
}
