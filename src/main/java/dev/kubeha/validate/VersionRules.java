package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.SupportedReleases;
import dev.kubeha.model.Version;
import java.time.LocalDate;
import java.util.Optional;

/** Kubernetes and etcd versions against the supported-release table, and the container runtime's source. */
final class VersionRules implements Rule {
    private static final Version IPVS_DEPRECATED_IN = new Version(1, 35, 0);
    private final LocalDate today;

    VersionRules(LocalDate today) {
        this.today = today;
    }

    @Override
    public void check(ClusterSpec spec, Problems out) {
        String text = spec.cluster().kubernetesVersion();
        Optional<Version> version = Version.parse(text);
        if (version.isEmpty()) {
            out.error("cluster.kubernetesVersion", "'" + text + "' is not a full version such as 1.36.3");
        } else {
            Optional<KubernetesRelease> release = SupportedReleases.forVersion(version.get());
            if (release.isEmpty()) {
                out.error("cluster.kubernetesVersion", version.get().minorLine() + " is not supported; kubeha"
                        + " installs " + SupportedReleases.minors());
            } else {
                checkRelease(spec, version.get(), release.get(), out);
            }
        }
        if (!spec.stackedEtcd()) {
            checkEtcd(spec, version.flatMap(SupportedReleases::forVersion), out);
        }
        if (spec.containerRuntime() == ContainerRuntime.DOCKER
                && spec.containerRuntimeInstall() == RuntimeInstall.ARCHIVE) {
            out.warning("containerRuntimeInstall", "archive is containerd's release archive, and containerRuntime is"
                    + " docker: Docker Engine comes from the distribution (Docker's repository on the RHEL family)"
                    + " whatever this says");
        }
    }

    private void checkRelease(ClusterSpec spec, Version version, KubernetesRelease release, Problems out) {
        if (release.endOfLifeBefore(today)) {
            out.warning("cluster.kubernetesVersion", release.minor() + " reached end of life on "
                    + release.endOfLife() + " and gets no more security fixes");
        }
        if (spec.network().proxyMode() == ProxyMode.IPVS && version.compareTo(IPVS_DEPRECATED_IN) >= 0) {
            out.warning("network.proxyMode", "IPVS is deprecated since Kubernetes 1.35; nftables (kernel 5.13 or"
                    + " newer) or iptables is the way forward");
        }
        if (spec.addons().kubePrometheus() && release.kubePrometheus().isEmpty()) {
            out.error("addons.kubePrometheus", "no kube-prometheus release supports Kubernetes " + release.minor()
                    + " yet; set it to false or choose an older Kubernetes");
        }
    }

    private static void checkEtcd(ClusterSpec spec, Optional<KubernetesRelease> release, Problems out) {
        String text = spec.etcd().version();
        Optional<Version> etcd = Version.parse(text);
        if (etcd.isEmpty()) {
            out.error("etcd.version", "'" + text + "' is not a full version such as 3.6.9");
            return;
        }
        if (etcd.get().major() != 3 || etcd.get().minor() < 5 || etcd.get().minor() > 6) {
            out.error("etcd.version", etcd.get() + " is not an etcd kubeha installs (3.5 or 3.6)");
            return;
        }
        release.filter(r -> etcd.get().compareTo(r.minExternalEtcd()) < 0).ifPresent(r ->
                out.warning("etcd.version", etcd.get() + " is older than " + r.minExternalEtcd() + ", the oldest"
                        + " external etcd kubeadm " + r.minor() + " accepts; kubeha will tell kubeadm init to ignore"
                        + " its ExternalEtcdVersion preflight check"));
    }
}
