package dev.kubeha.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Cluster identity and where versions, images and packages come from.
 *
 * @param packageRepositoryKeyFingerprint the OpenPGP fingerprint the repository's signing key must have (required
 *     for http, optional for https); empty when not pinned
 */
public record ClusterInfo(String name, String kubernetesVersion, String imageRepository, String packageRepository,
                          String packageRepositoryKeyFingerprint) {
    public static final ClusterInfo DEFAULTS =
            new ClusterInfo("kubernetes", "1.36.3", "registry.k8s.io", "https://pkgs.k8s.io", "");

    /** The pinned fingerprint as gpg prints it in its colon listing (upper-case hex, no spaces), if any. */
    public Optional<String> signingKeyPin() {
        String pin = packageRepositoryKeyFingerprint.replace(" ", "").toUpperCase(Locale.ROOT);
        return pin.isEmpty() ? Optional.empty() : Optional.of(pin);
    }
}
