package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.HostSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The add-on inputs fetched on the jump host (checksum-checked) and the files they become on the first control plane.
 *
 * @param flannelManifest the release's kube-flannel.yml as downloaded or read, unpatched; empty when not fetched yet
 * @param kubePrometheusArchive the kube-prometheus release tar.gz; empty when not fetched yet
 */
public record AddonFiles(Optional<String> flannelManifest, Optional<byte[]> kubePrometheusArchive) {
    public static final String FLANNEL_PATH = "/etc/kubernetes/kubeha/kube-flannel.yml";
    public static final String KUBE_PROMETHEUS_DIR = "/var/lib/kubeha/kube-prometheus";
    public static final AddonFiles NONE = new AddonFiles(Optional.empty(), Optional.empty());

    public static String kubePrometheusArchivePath(ClusterSpec spec) {
        return KUBE_PROMETHEUS_DIR + "/" + KubePrometheus.forSpec(spec).release() + ".tar.gz";
    }

    /** What the add-ons the spec enables still lack, as operator-readable names; empty when everything is here. */
    public List<String> missing(ClusterSpec spec) {
        List<String> out = new ArrayList<>();
        if (spec.network().cni() == Cni.FLANNEL && flannelManifest.isEmpty()) {
            out.add("kube-flannel.yml " + Topology.release(spec).flannel());
        }
        if (spec.addons().kubePrometheus() && kubePrometheusArchive.isEmpty()) {
            out.add("kube-prometheus " + KubePrometheus.forSpec(spec).release());
        }
        return out;
    }

    public List<RenderedFile> render(ClusterSpec spec) {
        HostSpec first = Topology.firstControlPlane(spec);
        List<RenderedFile> out = new ArrayList<>();
        if (spec.network().cni() == Cni.FLANNEL) {
            flannelManifest.ifPresent(m -> out.add(RenderedFile.text(first.name(), FLANNEL_PATH, 0644,
                    FlannelManifest.patch(m, spec.network().podSubnet(), spec.network().flannelBackend()))));
        }
        if (spec.addons().kubePrometheus()) {
            kubePrometheusArchive.ifPresent(a -> out.add(new RenderedFile(first.name(),
                    kubePrometheusArchivePath(spec), 0644, "root", a)));
        }
        return out;
    }
}
