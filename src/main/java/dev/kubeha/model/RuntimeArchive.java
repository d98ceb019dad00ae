package dev.kubeha.model;

/**
 * One of the container runtime's release files as the operator gives it instead of the one kubeha pins for the
 * Kubernetes minor, named like etcd's fields.
 *
 * @param version the release; empty means the one kubeha's table pins for the minor
 * @param archive path on the jump host of the release file; empty means: download it (upstream or --release-mirror)
 * @param archiveSha256 its SHA-256; empty means kubeha's checksum table, which must then list the version
 */
public record RuntimeArchive(String version, String archive, String archiveSha256) {
    public static final RuntimeArchive PINNED = new RuntimeArchive("", "", "");

    /**
     * Whether the operator set any of its fields. Compared field by field: a record's own {@code equals} is linked at
     * run time, which spins classes the start-up cache does not keep (the wizard reads answers on its start path).
     */
    public boolean given() {
        return !(PINNED.version.equals(version) && PINNED.archive.equals(archive)
                && PINNED.archiveSha256.equals(archiveSha256));
    }

    /** The version to install: the operator's, else {@code pinned}; an unparsable version stays for validation. */
    public Version versionOr(Version pinned) {
        return version.isEmpty() ? pinned : Version.parse(version).orElse(pinned);
    }
}
