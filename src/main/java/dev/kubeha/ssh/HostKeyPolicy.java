package dev.kubeha.ssh;

/** Decides whether to trust a host key that no known_hosts file lists; a changed key never reaches it. */
@FunctionalInterface
public interface HostKeyPolicy {
    /** The default: unknown keys are refused. */
    HostKeyPolicy REJECT_UNKNOWN = key -> Decision.REJECT;
    /** Headless --accept-new-host-keys: unknown keys are trusted and recorded, within the first handshake. */
    HostKeyPolicy ACCEPT_NEW = new HostKeyPolicy() {
        @Override
        public Decision decide(UnknownKey key) {
            return Decision.ACCEPT;
        }

        @Override
        public boolean decidesWithoutAsking() {
            return true;
        }
    };

    /**
     * Called on the caller's thread, outside any SSH handshake, so it may prompt for as long as it needs; a policy
     * that {@link #decidesWithoutAsking() decides without asking} is called within the handshake instead.
     */
    Decision decide(UnknownKey key);

    /**
     * True when {@link #decide} answers at once without asking anyone: the key is then judged within the handshake
     * that presents it, so an accepted key costs no second connection.
     */
    default boolean decidesWithoutAsking() {
        return false;
    }

    /** A key seen for the first time; fingerprint is OpenSSH's SHA256:base64 form. */
    record UnknownKey(String host, int port, String keyType, String fingerprint) {
    }

    /** Trust the key (and record it in the state directory's known_hosts) or refuse the connection. */
    enum Decision { ACCEPT, REJECT }
}
