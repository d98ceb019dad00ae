package dev.kubeha.tui.probe;

import dev.kubeha.ssh.HostKeyPolicy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The host keys the operator trusted in the wizard's dialog. The SSH layer's policy accepts exactly these (host, port,
 * key type and fingerprint) and records them in the state directory's known_hosts, which the install reads too.
 */
public final class HostKeyTrust {
    private final Set<HostKeyPolicy.UnknownKey> trusted = ConcurrentHashMap.newKeySet();

    public void trust(HostKeyPolicy.UnknownKey key) {
        trusted.add(key);
    }

    public boolean trusts(HostKeyPolicy.UnknownKey key) {
        return trusted.contains(key);
    }

    /** A policy for one connection attempt: tells {@code seen} of every unknown key, accepts only trusted ones. */
    public HostKeyPolicy policy(Consumer<HostKeyPolicy.UnknownKey> seen) {
        return key -> {
            seen.accept(key);
            return trusts(key) ? HostKeyPolicy.Decision.ACCEPT : HostKeyPolicy.Decision.REJECT;
        };
    }
}
