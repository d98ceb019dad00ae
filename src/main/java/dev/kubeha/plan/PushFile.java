package dev.kubeha.plan;

/**
 * Copies a file from the jump host (a package or image archive of a verified bundle, a verified download) to the
 * host, owned by root, unless the host already has these bytes with this mode.
 *
 * @param source path on the jump host
 * @param path where it goes on the host
 * @param sha256 the SHA-256 the bundle's manifest or the checksum table gives, checked on the host after the copy
 * @param mode its permissions: 0644 for data, 0755 for an executable
 */
public record PushFile(String source, String path, String sha256, int mode) implements Operation {
    /** A data file, 0644. */
    public PushFile(String source, String path, String sha256) {
        this(source, path, sha256, 0644);
    }

    @Override
    public String describe() {
        return "copy " + source + " to " + path + (mode == 0644 ? "" : " (mode " + Integer.toOctalString(mode) + ")")
                + " (sha256 " + sha256 + ")";
    }
}
