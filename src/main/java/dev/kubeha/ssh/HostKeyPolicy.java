package dev.kubeha.ssh;

/** Decides whether to trust a host key that no known_hosts file lists; a changed key never reaches it. */
@FunctionalInterface
public interface HostKeyPolicy {
    /** The default: unknown keys are refused. */
    HostKeyPolicy REJECT_UNKNOWN = key -> Decision.REJECT;
    /** Headless --accept-new-host-keys: unknown keys are trusted and recorded. */
    HostKeyPolicy ACCEPT_NEW = key -> Decision.ACCEPT;

    /** Called on the caller's thread, outside any SSH handshake, so it may prompt for as long as it needs. */
    Decision decide(UnknownKey key);

    /** A key seen for the first time; fingerprint is OpenSSH's SHA256:base64 form. */
    record UnknownKey(String host, int port, String keyType, String fingerprint) {
    }

    /** Trust the key (and record it in the state directory's known_hosts) or refuse the connection. */
    enum Decision { ACCEPT, REJECT }
}
