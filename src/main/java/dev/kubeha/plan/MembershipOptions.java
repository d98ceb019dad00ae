package dev.kubeha.plan;

import java.time.Duration;
import java.util.Set;

/**
 * How the operator lets a membership change run: how long one kubectl drain may take before it fails, and which
 * leaving hosts are given up as unreachable (nothing runs on them; the cluster forgets them through the API).
 */
public record MembershipOptions(Duration drainTimeout, Set<String> unreachable) {
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(5);
    public static final MembershipOptions DEFAULT = new MembershipOptions(DEFAULT_DRAIN_TIMEOUT, Set.of());

    public MembershipOptions {
        if (drainTimeout.isNegative() || drainTimeout.isZero()) {
            throw new IllegalArgumentException("the drain timeout must be positive, not " + drainTimeout);
        }
        unreachable = Set.copyOf(unreachable);
    }

    public boolean reachable(String host) {
        return !unreachable.contains(host);
    }
}
