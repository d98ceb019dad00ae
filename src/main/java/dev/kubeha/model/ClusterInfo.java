package dev.kubeha.model;

/** Cluster identity and where versions, images and packages come from. */
public record ClusterInfo(String name, String kubernetesVersion, String imageRepository, String packageRepository) {
    public static final ClusterInfo DEFAULTS =
            new ClusterInfo("kubernetes", "1.36.3", "registry.k8s.io", "https://pkgs.k8s.io");
}
