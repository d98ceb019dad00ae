package dev.kubeha.state;

/**
 * The secrets a cluster needs, generated randomly by kubeha and kept only in its 0600 state directory.
 *
 * @param bootstrapToken kubeadm bootstrap token, {@code [a-z0-9]{6}.[a-z0-9]{16}}
 * @param certificateKey kubeadm --upload-certs key: 32 random bytes, hex-encoded
 * @param vrrpPassword keepalived auth_pass (keepalived uses 8 characters; not a security boundary)
 * @param haproxyStatsPassword password of haproxy's stats page, which listens on 127.0.0.1 only
 */
public record Secrets(String bootstrapToken, String certificateKey, String vrrpPassword, String haproxyStatsPassword) {
    @Override
    public String toString() {
        return "Secrets[redacted]";
    }
}
