package dev.kubeha.answers;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.RuntimeArchive;
import dev.kubeha.model.RuntimeArchives;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An answers document as the text of each field, keyed by its path ({@code ssh.port}), before any of it is checked:
 * what {@link AnswersWriter} writes, from a spec or from the wizard's draft.
 */
public record AnswersText(Map<String, String> fields, List<Host> hosts) {
    public AnswersText {
        fields = Map.copyOf(fields);
        hosts = List.copyOf(hosts);
    }

    /** One host's fields; a null port, user or identityFile is left out of the document. */
    public record Host(String name, String address, List<String> roles, String port, String user,
            String identityFile) {
        public Host {
            roles = List.copyOf(roles);
        }
    }

    public static AnswersText of(ClusterSpec s) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("cluster.name", s.cluster().name());
        f.put("cluster.kubernetesVersion", s.cluster().kubernetesVersion());
        f.put("cluster.imageRepository", s.cluster().imageRepository());
        f.put("cluster.packageRepository", s.cluster().packageRepository());
        f.put("cluster.packageRepositoryKeyFingerprint", s.cluster().packageRepositoryKeyFingerprint());
        f.put("ssh.user", s.ssh().user());
        f.put("ssh.port", Integer.toString(s.ssh().port()));
        f.put("ssh.identityFile", s.ssh().identityFile());
        f.put("ssh.sudo", Boolean.toString(s.ssh().sudo()));
        f.put("ssh.bastion", s.ssh().bastion());
        f.put("loadBalancer.vip", s.loadBalancer().vip());
        f.put("loadBalancer.port", Integer.toString(s.loadBalancer().port()));
        f.put("loadBalancer.interface", s.loadBalancer().networkInterface());
        f.put("loadBalancer.virtualRouterId", Integer.toString(s.loadBalancer().virtualRouterId()));
        f.put("loadBalancer.vrrp", s.loadBalancer().vrrp().yamlName());
        f.put("network.podSubnet", s.network().podSubnet());
        f.put("network.serviceSubnet", s.network().serviceSubnet());
        f.put("network.dnsDomain", s.network().dnsDomain());
        f.put("network.proxyMode", s.network().proxyMode().yamlName());
        f.put("network.cni", s.network().cni().yamlName());
        f.put("network.flannelBackend", s.network().flannelBackend().yamlName());
        f.put("network.flannelManifest", s.network().flannelManifest());
        f.put("etcd.version", s.etcd().version());
        f.put("etcd.dataDir", s.etcd().dataDir());
        f.put("etcd.certDir", s.etcd().certDir());
        f.put("etcd.keyAlgorithm", s.etcd().keyAlgorithm().yamlName());
        f.put("etcd.certificateValidityDays", Integer.toString(s.etcd().certificateValidityDays()));
        f.put("etcd.install", s.etcd().install().yamlName());
        f.put("etcd.archive", s.etcd().archive());
        f.put("etcd.archiveSha256", s.etcd().archiveSha256());
        if (s.etcd().backup().enabled()) {
            f.put("etcd.backup.schedule", s.etcd().backup().schedule());
            f.put("etcd.backup.keep", Integer.toString(s.etcd().backup().keep()));
        }
        f.put("containerRuntime", s.containerRuntime().yamlName());
        f.put("containerRuntimeInstall", s.containerRuntimeInstall().yamlName());
        RuntimeArchives given = s.containerRuntimeArchives();
        List<RuntimeArchive> archives = List.of(given.containerd(), given.runc(), given.cniPlugins());
        for (int i = 0; i < archives.size(); i++) {
            RuntimeArchive a = archives.get(i);
            if (a.given()) {
                String at = RuntimeArchives.FIELD + "." + AnswersReader.RUNTIME_ARCHIVES.get(i) + ".";
                f.put(at + "version", a.version());
                f.put(at + "archive", a.archive());
                f.put(at + "archiveSha256", a.archiveSha256());
            }
        }
        f.put("addons.kubePrometheus", Boolean.toString(s.addons().kubePrometheus()));
        f.put("addons.kubePrometheusArchive", s.addons().kubePrometheusArchive());
        return new AnswersText(f, s.hosts().stream().map(AnswersText::host).toList());
    }

    private static Host host(HostSpec h) {
        return new Host(h.name(), h.address(), h.roles().stream().sorted().map(Role::yamlName).toList(),
                h.port() == null ? null : h.port().toString(), h.user(), h.identityFile());
    }

    /** The same document with the field at path holding text instead. */
    public AnswersText with(String path, String text) {
        if (!fields.containsKey(path)) {
            throw new IllegalArgumentException("no answers field " + path);
        }
        Map<String, String> changed = new LinkedHashMap<>(fields);
        changed.put(path, text);
        return new AnswersText(changed, hosts);
    }
}
