package dev.kubeha.model;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/** Everything the operator asked for: the in-memory form of an answers file. */
public record ClusterSpec(ClusterInfo cluster, SshSpec ssh, List<HostSpec> hosts, LoadBalancerSpec loadBalancer,
                          NetworkSpec network, EtcdSpec etcd, ContainerRuntime containerRuntime,
                          RuntimeInstall containerRuntimeInstall, RuntimeArchives containerRuntimeArchives,
                          AddonsSpec addons) {
    public static final String API_VERSION = "kubeha/v1";

    /** A spec that installs the runtime releases kubeha pins for the minor ({@link RuntimeArchives#PINNED}). */
    public ClusterSpec(ClusterInfo cluster, SshSpec ssh, List<HostSpec> hosts, LoadBalancerSpec loadBalancer,
                       NetworkSpec network, EtcdSpec etcd, ContainerRuntime containerRuntime,
                       RuntimeInstall containerRuntimeInstall, AddonsSpec addons) {
        this(cluster, ssh, hosts, loadBalancer, network, etcd, containerRuntime, containerRuntimeInstall,
                RuntimeArchives.PINNED, addons);
    }

    /** A spec whose containerd source is chosen per host ({@link RuntimeInstall#AUTO}). */
    public ClusterSpec(ClusterInfo cluster, SshSpec ssh, List<HostSpec> hosts, LoadBalancerSpec loadBalancer,
                       NetworkSpec network, EtcdSpec etcd, ContainerRuntime containerRuntime, AddonsSpec addons) {
        this(cluster, ssh, hosts, loadBalancer, network, etcd, containerRuntime, RuntimeInstall.AUTO, addons);
    }

    public ClusterSpec {
        hosts = List.copyOf(hosts);
    }

    public List<HostSpec> hostsWith(Role role) {
        return hosts.stream().filter(h -> h.has(role)).toList();
    }

    /** True when no host has the etcd role: etcd then runs stacked on the control planes. */
    public boolean stackedEtcd() {
        return hostsWith(Role.ETCD).isEmpty();
    }

    /** Jump-host paths written relative to the answers file (flannelManifest, archives, identity files) made absolute. */
    public ClusterSpec resolvingPathsAgainst(Path directory) {
        UnaryOperator<String> abs = p -> p == null || p.isEmpty() || p.startsWith("/")
                || p.startsWith("~/") ? p : directory.resolve(p).normalize().toString();
        SshSpec s = new SshSpec(ssh.user(), ssh.port(), abs.apply(ssh.identityFile()), ssh.sudo(), ssh.bastion());
        List<HostSpec> h = hosts.stream().map(x -> new HostSpec(x.name(), x.address(), x.roles(), x.port(), x.user(),
                abs.apply(x.identityFile()))).toList();
        NetworkSpec n = new NetworkSpec(network.podSubnet(), network.serviceSubnet(), network.dnsDomain(),
                network.proxyMode(), network.cni(), network.flannelBackend(), abs.apply(network.flannelManifest()));
        EtcdSpec e = new EtcdSpec(etcd.version(), etcd.dataDir(), etcd.certDir(), etcd.keyAlgorithm(),
                etcd.certificateValidityDays(), etcd.install(), abs.apply(etcd.archive()), etcd.archiveSha256(),
                etcd.backup());
        AddonsSpec a = new AddonsSpec(addons.kubePrometheus(), abs.apply(addons.kubePrometheusArchive()));
        UnaryOperator<RuntimeArchive> local = r -> new RuntimeArchive(r.version(), abs.apply(r.archive()),
                r.archiveSha256());
        RuntimeArchives r = new RuntimeArchives(local.apply(containerRuntimeArchives.containerd()),
                local.apply(containerRuntimeArchives.runc()), local.apply(containerRuntimeArchives.cniPlugins()));
        return new ClusterSpec(cluster, s, h, loadBalancer, n, e, containerRuntime, containerRuntimeInstall, r, a);
    }

    /** The same cluster at another Kubernetes version (what an upgrade plans towards). */
    public ClusterSpec withKubernetesVersion(String version) {
        ClusterInfo c = new ClusterInfo(cluster.name(), version, cluster.imageRepository(), cluster.packageRepository(),
                cluster.packageRepositoryKeyFingerprint());
        return new ClusterSpec(c, ssh, hosts, loadBalancer, network, etcd, containerRuntime, containerRuntimeInstall,
                containerRuntimeArchives, addons);
    }

    public ClusterSpec withHosts(List<HostSpec> newHosts) {
        return new ClusterSpec(cluster, ssh, newHosts, loadBalancer, network, etcd, containerRuntime,
                containerRuntimeInstall, containerRuntimeArchives, addons);
    }
}
