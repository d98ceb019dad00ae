package dev.kubeha.bundle;

import java.nio.file.Path;

/** A bundle whose every file was checked against its manifest, unpacked in a private directory on the jump host. */
public record Bundle(Path dir, BundleManifest manifest) {
    public Path file(BundleItem item) {
        return dir.resolve(item.path());
    }
}
