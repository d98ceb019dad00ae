package dev.kubeha.events;

/** Why a run stopped on one host, kept as data (host, step, cause) until a view renders it. */
public sealed interface RunFailure {
    String host();

    /** The one line views print for it. */
    String text();

    /** A step failed for good after its attempts; the reason is already redacted. */
    record Step(String host, String stepId, String title, String reason) implements RunFailure {
        @Override
        public String text() {
            return host + ": " + title + " (" + stepId + "): " + reason;
        }
    }

    /** The engine itself failed while working on a host: a bug in kubeha, not the host's fault. */
    record Internal(String host, Throwable cause) implements RunFailure {
        @Override
        public String text() {
            return host + ": internal error: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage());
        }
    }
}
