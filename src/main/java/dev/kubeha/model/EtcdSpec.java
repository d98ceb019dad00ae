package dev.kubeha.model;

/**
 * The external etcd cluster, where its binary comes from, and its PKI settings.
 *
 * @param install archive (default: etcd's release archive, downloaded or {@code archive}) or package
 * @param archive path on the jump host of etcd-vX.Y.Z-linux-ARCH.tar.gz; empty means: download it on the jump host
 * @param archiveSha256 the archive's SHA-256; empty means: kubeha's checksum table for a download, SHA256SUMS next
 *                      to a local archive
 * @param backup the members' scheduled local snapshots; {@link EtcdBackup#NONE} when not asked for
 */
public record EtcdSpec(String version, String dataDir, String certDir, KeyAlgorithm keyAlgorithm,
                       int certificateValidityDays, EtcdInstall install, String archive, String archiveSha256,
                       EtcdBackup backup) {
    public static final EtcdSpec DEFAULTS = new EtcdSpec("3.6.9", "/var/lib/etcd", "/etc/etcd/pki",
            KeyAlgorithm.ECDSA_P256, 365, EtcdInstall.ARCHIVE, "", "", EtcdBackup.NONE);

    public EtcdSpec(String version, String dataDir, String certDir, KeyAlgorithm keyAlgorithm,
                    int certificateValidityDays, EtcdInstall install, String archive, String archiveSha256) {
        this(version, dataDir, certDir, keyAlgorithm, certificateValidityDays, install, archive, archiveSha256,
                EtcdBackup.NONE);
    }

    public EtcdSpec(String version, String dataDir, String certDir, KeyAlgorithm keyAlgorithm,
                    int certificateValidityDays) {
        this(version, dataDir, certDir, keyAlgorithm, certificateValidityDays, DEFAULTS.install, DEFAULTS.archive,
                DEFAULTS.archiveSha256);
    }
}
