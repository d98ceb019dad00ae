package dev.kubeha.plan;

import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.HostSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How the operator lets a membership change run: how long one kubectl drain may take before it fails, and which
 * leaving hosts are given up as unreachable (nothing runs on them; the cluster forgets them through the API).
 */
public record MembershipOptions(Duration drainTimeout, Set<String> unreachable) {
    public static final String ALLOW_UNREACHABLE = "--allow-unreachable";
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

    /** Why these options do not fit {@code change}: a host given up as unreachable must be one the answers remove. */
    public List<String> refusals(ClusterChange change) {
        Set<String> leaving = new LinkedHashSet<>(change.leaving().stream().map(HostSpec::name).toList());
        List<String> out = new ArrayList<>();
        for (String name : unreachable) {
            if (!leaving.contains(name)) {
                out.add(ALLOW_UNREACHABLE + " names " + name + ", which the answers do not remove"
                        + (leaving.isEmpty() ? "" : " (leaving: " + String.join(", ", leaving) + ")")
                        + ": kubeha gives up only on hosts that leave the cluster");
            }
        }
        return out;
    }
}
