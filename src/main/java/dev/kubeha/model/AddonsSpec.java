package dev.kubeha.model;

/**
 * Optional components installed after the cluster is up.
 *
 * @param kubePrometheusArchive a kube-prometheus release tar.gz on the jump host, for installs without internet
 *                              access; empty: the release for the Kubernetes minor is downloaded, checksum recorded
 */
public record AddonsSpec(boolean kubePrometheus, String kubePrometheusArchive) {
    public static final AddonsSpec DEFAULTS = new AddonsSpec(true, "");

    public AddonsSpec(boolean kubePrometheus) {
        this(kubePrometheus, DEFAULTS.kubePrometheusArchive);
    }
}
