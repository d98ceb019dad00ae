package dev.kubeha.render;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.state.Secrets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Every file kubeha writes to every host: configuration, etcd units and etcd certificates, sorted by host and path. */
public final class ConfigRenderer {
    private ConfigRenderer() {
    }

    /** Everything, for apply, plan and render: configuration, etcd units, both PKIs' host files and the add-ons. */
    public static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts, Secrets secrets,
                                            EtcdPki pki, ClusterCa clusterCa, AddonFiles addons) {
        List<RenderedFile> out = new ArrayList<>(render(spec, facts, secrets, clusterCa.caCertHash()));
        out.addAll(EtcdUnit.renderAll(spec, spec.etcd().install().etcdBinary()));
        out.addAll(pki.hostFiles(spec));
        out.addAll(clusterCa.hostFiles(spec));
        out.addAll(addons.render(spec));
        out.sort(Comparator.comparing(RenderedFile::host).thenComparing(RenderedFile::path));
        return List.copyOf(out);
    }

    /** The configuration files alone, without the etcd units, certificates and add-ons. */
    public static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts, Secrets secrets,
                                            String caCertHash) {
        List<RenderedFile> out = new ArrayList<>();
        out.addAll(Keepalived.render(spec, facts, secrets));
        out.addAll(HaproxyConfig.render(spec, secrets));
        out.addAll(OsPreparation.render(spec, facts));
        out.addAll(ContainerRuntimeConfig.render(spec, facts));
        out.addAll(KubernetesPackages.render(spec, facts));
        out.addAll(KubeadmConfig.render(spec, secrets, caCertHash));
        for (HostSpec host : spec.hosts()) {
            out.add(RenderedFile.text(host.name(), HostsBlock.PATH, 0644, HostsBlock.merge("", spec)));
        }
        out.sort(Comparator.comparing(RenderedFile::host).thenComparing(RenderedFile::path));
        return List.copyOf(out);
    }
}
