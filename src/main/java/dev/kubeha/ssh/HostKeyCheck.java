package dev.kubeha.ssh;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/** The verifier of one connection attempt: accepts known keys, remembers why it refused any other. */
final class HostKeyCheck implements HostKeyVerifier {
    private final KnownHosts knownHosts;
    private volatile Refusal refusal;

    /** Why the handshake's host key was refused. */
    sealed interface Refusal {
        /** A key nobody has trusted yet: the caller may ask the policy and try again. */
        record Unknown(String host, int port, PublicKey key) implements Refusal {
        }

        /** A key that contradicts known_hosts. */
        record Changed(String host, int port, PublicKey key, List<String> known) implements Refusal {
        }
    }

    HostKeyCheck(KnownHosts knownHosts) {
        this.knownHosts = knownHosts;
    }

    @Override
    public boolean verify(String host, int port, PublicKey key) {
        return switch (knownHosts.check(host, port, key)) {
            case KnownHosts.Verdict.Known k -> true;
            case KnownHosts.Verdict.Unknown u -> {
                refusal = new Refusal.Unknown(host, port, key);
                yield false;
            }
            case KnownHosts.Verdict.Changed c -> {
                refusal = new Refusal.Changed(host, port, key, c.knownFingerprints());
                yield false;
            }
        };
    }

    @Override
    public List<String> findExistingAlgorithms(String host, int port) {
        return knownHosts.knownAlgorithms(host, port);
    }

    Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }
}
