package dev.kubeha.validate;

import dev.kubeha.model.Printable;

/**
 * One finding about an answers or facts file, addressed by its field path (e.g. {@code hosts[1].address}); path
 * and message are kept {@linkplain Printable printable}, since both may quote what the file holds.
 *
 * @param line the line the finding is about when the path alone does not tell it (a duplicate key); 0 otherwise
 */
public record Problem(Severity severity, String path, String message, int line) {
    public Problem {
        path = Printable.of(path);
        message = Printable.of(message);
    }

    public Problem(Severity severity, String path, String message) {
        this(severity, path, message, 0);
    }

    public static Problem error(String path, String message) {
        return new Problem(Severity.ERROR, path, message);
    }

    public static Problem warning(String path, String message) {
        return new Problem(Severity.WARNING, path, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The {@code path: message} form used in every report. */
    public String text() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
