package dev.kubeha.plan;

/**
 * What a phase waits for: another phase's steps on the same host, or on every host.
 *
 * @param phase the phase it waits for, by the name the workflow gives it
 * @param everyHost true when it waits for that phase on every host, false for that phase's steps on its own host
 */
public record Need(String phase, boolean everyHost) {
    /** The phase's steps on the same host only (a host's runtime waits for that host's OS preparation). */
    public static Need onSameHost(String phase) {
        return new Need(phase, false);
    }

    /** The whole phase, on every host (init waits for the etcd cluster). */
    public static Need everywhere(String phase) {
        return new Need(phase, true);
    }

    /** This need when it is reached through {@code through}: waiting on every host anywhere widens it. */
    Need through(Need through) {
        return new Need(phase, everyHost || through.everyHost());
    }

    /** How {@code kubeha plan} lists it. */
    public String describe() {
        return phase + (everyHost ? " (every host)" : " (same host)");
    }
}
