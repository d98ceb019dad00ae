package dev.kubeha.render;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The per-minor Kubernetes package repository (pkgs.k8s.io layout) and the exact package versions to install. */
public final class KubernetesPackages {
    public static final String APT_SOURCE = "/etc/apt/sources.list.d/kubernetes.list";
    public static final String APT_KEY = "/etc/apt/keyrings/kubernetes-apt-keyring.asc";
    public static final String YUM_REPO = "/etc/yum.repos.d/kubernetes.repo";
    public static final String RPM_KEY = "/etc/pki/rpm-gpg/kubernetes.asc";
    /** The yum repository id, for --disableexcludes. */
    public static final String YUM_REPO_ID = "kubernetes";
    public static final List<String> PACKAGES = List.of("kubelet", "kubeadm", "kubectl");
    /** The package with crictl, a dependency of kubeadm in the same repository. */
    public static final String CRI_TOOLS = "cri-tools";
    public static final List<String> EXCLUDED = List.of("kubelet", "kubeadm", "kubectl", "cri-tools",
            "kubernetes-cni");

    private KubernetesPackages() {
    }

    /**
     * The repository of the cluster's minor: {@code ROOT/core:/stable:/v1.XX}; a mirror whose path ends in
     * {@code kubernetes-new} (Aliyun's) drops the colons: {@code ROOT/core/stable/v1.XX}.
     */
    public static String repository(ClusterSpec spec) {
        String root = Topology.word(spec.cluster().packageRepository(), "cluster.packageRepository")
                .replaceAll("/+$", "");
        String minor = "v" + Topology.release(spec).minor();
        return root.endsWith("/kubernetes-new") ? root + "/core/stable/" + minor : root + "/core:/stable:/" + minor;
    }

    /** Where the repository publishes its ASCII-armored signing key for this OS family. */
    public static String keyUrl(ClusterSpec spec, OsFamily family) {
        return repository(spec) + switch (family) {
            case DEBIAN -> "/deb/Release.key";
            case RHEL -> "/rpm/repodata/repomd.xml.key";
        };
    }

    /** Where the host keeps the signing key apt (signed-by, .asc read directly) or dnf (gpgkey) trusts. */
    public static String keyPath(OsFamily family) {
        return switch (family) {
            case DEBIAN -> APT_KEY;
            case RHEL -> RPM_KEY;
        };
    }

    /** The full version, without the package revision, e.g. 1.36.3. */
    public static String version(ClusterSpec spec) {
        return Version.of(spec.cluster().kubernetesVersion()).toString();
    }

    public static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts) {
        List<RenderedFile> out = new ArrayList<>();
        for (HostSpec host : spec.hosts()) {
            if (!Topology.isKubernetesNode(host)) {
                continue;
            }
            OsFamily family = Topology.facts(facts, host).osFamily();
            out.add(switch (family) {
                case DEBIAN -> RenderedFile.text(host.name(), APT_SOURCE, 0644,
                        "# Rendered by kubeha: Kubernetes " + Topology.release(spec).minor() + " packages.\n"
                                + "deb [signed-by=" + APT_KEY + "] " + repository(spec) + "/deb/ /\n");
                case RHEL -> RenderedFile.text(host.name(), YUM_REPO, 0644,
                        "# Rendered by kubeha: Kubernetes " + Topology.release(spec).minor() + " packages.\n"
                                + "[" + YUM_REPO_ID + "]\n"
                                + "name=Kubernetes v" + Topology.release(spec).minor() + "\n"
                                + "baseurl=" + repository(spec) + "/rpm/\n"
                                + "enabled=1\ngpgcheck=1\n"
                                + "gpgkey=file://" + RPM_KEY + "\n"
                                + "exclude=" + String.join(" ", EXCLUDED) + "\n");
            });
        }
        return out;
    }
}
