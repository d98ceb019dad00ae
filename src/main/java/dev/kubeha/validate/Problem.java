package dev.kubeha.validate;

/** One finding about an answers file, addressed by its field path (e.g. {@code hosts[1].address}). */
public record Problem(Severity severity, String path, String message) {
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
