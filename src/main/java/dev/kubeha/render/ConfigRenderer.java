package dev.kubeha.render;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.state.Secrets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every file kubeha writes to every host: configuration, etcd units and etcd certificates, sorted by host and path. */
public final class ConfigRenderer {
    private ConfigRenderer() {
    }

    /**
     * @param caCertHash "sha256:…" of the cluster CA once kubeadm init has run; empty renders a placeholder in joins
     */
    public static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts, Secrets secrets,
                                            EtcdPki pki, Optional<String> caCertHash) {
        List<RenderedFile> out = new ArrayList<>(render(spec, facts, secrets, caCertHash));
        out.addAll(EtcdUnit.renderAll(spec, spec.etcd().install().etcdBinary()));
        out.addAll(pki.hostFiles(spec));
        out.sort(Comparator.comparing(RenderedFile::host).thenComparing(RenderedFile::path));
        return List.copyOf(out);
    }

    /** The configuration files alone, without the etcd units and certificates. */
    public static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts, Secrets secrets,
                                            Optional<String> caCertHash) {
        List<RenderedFile> out = new ArrayList<>();
        out.addAll(Keepalived.render(spec, facts, secrets));
        out.addAll(HaproxyConfig.render(spec, secrets));
        out.addAll(OsPreparation.render(spec, facts));
        out.addAll(ContainerRuntimeConfig.render(spec, facts));
        out.addAll(KubeadmConfig.render(spec, secrets, caCertHash));
        for (HostSpec host : spec.hosts()) {
            out.add(RenderedFile.text(host.name(), HostsBlock.PATH, 0644, HostsBlock.merge("", spec)));
        }
        out.sort(Comparator.comparing(RenderedFile::host).thenComparing(RenderedFile::path));
        return List.copyOf(out);
    }
}
