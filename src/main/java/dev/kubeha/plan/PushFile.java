package dev.kubeha.plan;

/**
 * Copies a file from the jump host (a package or image archive of a verified bundle) to the host, 0644 root, unless
 * the host already has these bytes.
 *
 * @param source path on the jump host
 * @param path where it goes on the host
 * @param sha256 the SHA-256 the bundle's manifest gives, checked on the host after the copy
 */
public record PushFile(String source, String path, String sha256) implements Operation {
    @Override
    public String describe() {
        return "copy " + source + " to " + path + " (sha256 " + sha256 + ")";
    }
}
