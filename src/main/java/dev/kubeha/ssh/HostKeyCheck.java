package dev.kubeha.ssh;

import java.io.IOException;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * The verifier of one connection attempt: accepts known keys, and an unknown key its policy accepts without asking
 * (recorded first); remembers why it refused any other.
 */
final class HostKeyCheck implements HostKeyVerifier {
    private final KnownHosts knownHosts;
    private final HostKeyPolicy policy;
    private volatile Refusal refusal;

    /** Why the handshake's host key was refused. */
    sealed interface Refusal {
        /** A key nobody has trusted yet: the caller may ask the policy and try again. */
        record Unknown(String host, int port, PublicKey key) implements Refusal {
        }

        /** A key that contradicts known_hosts. */
        record Changed(String host, int port, PublicKey key, List<String> known) implements Refusal {
        }

        /** An unknown key the policy accepted, which could not be recorded. */
        record NotRecorded(IOException cause) implements Refusal {
        }
    }

    HostKeyCheck(KnownHosts knownHosts, HostKeyPolicy policy) {
        this.knownHosts = knownHosts;
        this.policy = policy;
    }

    @Override
    public boolean verify(String host, int port, PublicKey key) {
        return switch (knownHosts.check(host, port, key)) {
            case KnownHosts.Verdict.Known k -> true;
            case KnownHosts.Verdict.Unknown u -> acceptedWithoutAsking(host, port, key);
            case KnownHosts.Verdict.Changed c -> {
                refusal = new Refusal.Changed(host, port, key, c.knownFingerprints());
                yield false;
            }
        };
    }

    private boolean acceptedWithoutAsking(String host, int port, PublicKey key) {
        if (!policy.decidesWithoutAsking() || policy.decide(new HostKeyPolicy.UnknownKey(host, port,
                KnownHosts.keyType(key), KnownHosts.fingerprint(key))) != HostKeyPolicy.Decision.ACCEPT) {
            refusal = new Refusal.Unknown(host, port, key);
            return false;
        }
        try {
            knownHosts.remember(host, port, key);
            return true;
        } catch (IOException e) {
            refusal = new Refusal.NotRecorded(e);
            return false;
        }
    }

    @Override
    public List<String> findExistingAlgorithms(String host, int port) {
        return knownHosts.knownAlgorithms(host, port);
    }

    Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }
}
