package dev.kubeha.render;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.state.Secrets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The configuration files kubeha writes to every host, sorted by host and path. */
public final class ConfigRenderer {
    private ConfigRenderer() {
    }

    /** The configuration files alone, without the etcd units, certificates and add-ons. */
    public static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts, Secrets secrets,
                                            String caCertHash) {
        List<RenderedFile> out = new ArrayList<>();
        out.addAll(Keepalived.render(spec, facts, secrets));
        out.addAll(HaproxyConfig.render(spec, secrets));
        out.addAll(EtcdSnapshotTimer.render(spec));
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
