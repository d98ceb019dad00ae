package dev.kubeha.model;

/** The external etcd cluster and its PKI settings. */
public record EtcdSpec(String version, String dataDir, String certDir, KeyAlgorithm keyAlgorithm, int certificateValidityDays) {
    public static final EtcdSpec DEFAULTS =
            new EtcdSpec("3.6.9", "/var/lib/etcd", "/etc/etcd/pki", KeyAlgorithm.ECDSA_P256, 365);
}
