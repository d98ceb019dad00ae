package dev.kubeha.model;

/**
 * containerRuntimeArchives: the containerd, runc and CNI plugin release files the operator gives (a version, a local
 * copy, a SHA-256) for the nodes that install containerd from its release archive.
 */
public record RuntimeArchives(RuntimeArchive containerd, RuntimeArchive runc, RuntimeArchive cniPlugins) {
    public static final RuntimeArchives PINNED = new RuntimeArchives(RuntimeArchive.PINNED, RuntimeArchive.PINNED,
            RuntimeArchive.PINNED);
    /** The answers field of each component, in the file's order. */
    public static final String FIELD = "containerRuntimeArchives";

    /** The containerd version a node installs from its release archive for this Kubernetes release. */
    public Version containerdVersion(KubernetesRelease release) {
        return containerd.versionOr(release.containerdArchive());
    }
}
