package dev.kubeha.plan;

import java.util.Set;

/**
 * What a phase waits for: another phase's steps on the same host, on each host of the waiting phase, or on every host.
 *
 * @param phase the phase it waits for, by the name the workflow gives it
 * @param scope on which hosts it waits for that phase's steps
 */
public record Need(String phase, Scope scope) {
    /** Which hosts' steps of the needed phase a host's steps wait for, from the narrowest to the widest. */
    public enum Scope {
        /** The host's own steps of that phase (a host's runtime waits for that host's OS preparation). */
        SAME_HOST,
        /** That phase's steps on every host of the waiting phase (the etcd members start once each is set up). */
        ITS_HOSTS,
        /** The whole phase, on every host (init waits for the etcd cluster). */
        EVERY_HOST
    }

    /** The phase's steps on the same host only (a host's runtime waits for that host's OS preparation). */
    public static Need onSameHost(String phase) {
        return new Need(phase, Scope.SAME_HOST);
    }

    /**
     * The phase's steps on every host of the waiting phase, not on the others (the members start once every member is
     * set up, whatever the same phase still does on the control planes).
     */
    public static Need onItsHosts(String phase) {
        return new Need(phase, Scope.ITS_HOSTS);
    }

    /** The whole phase, on every host (init waits for the etcd cluster). */
    public static Need everywhere(String phase) {
        return new Need(phase, Scope.EVERY_HOST);
    }

    /** True when it waits for the phase on every host. */
    public boolean everyHost() {
        return scope == Scope.EVERY_HOST;
    }

    /**
     * Whether {@code host}'s steps of a phase that runs on {@code itsHosts} wait for the needed phase's steps on
     * {@code neededHost}.
     */
    public boolean covers(String neededHost, String host, Set<String> itsHosts) {
        return switch (scope) {
            case SAME_HOST -> neededHost.equals(host);
            case ITS_HOSTS -> itsHosts.contains(neededHost);
            case EVERY_HOST -> true;
        };
    }

    /**
     * This need when it is reached through {@code through} (a left-out phase that needed it): the same-host need of a
     * phase reached through any need is needed as widely as that one; reached through more than one host, anything
     * else widens to every host, since the left-out phase's hosts are not the waiting phase's.
     */
    Need through(Need through) {
        return new Need(phase, scope == Scope.SAME_HOST ? through.scope() : Scope.EVERY_HOST);
    }

    /** The wider of two needs of the same phase. */
    Need widest(Need other) {
        return scope.compareTo(other.scope()) >= 0 ? this : other;
    }

    /** How {@code kubeha plan} lists it. */
    public String describe() {
        return phase + switch (scope) {
            case SAME_HOST -> " (same host)";
            case ITS_HOSTS -> " (each host of this phase)";
            case EVERY_HOST -> " (every host)";
        };
    }
}
