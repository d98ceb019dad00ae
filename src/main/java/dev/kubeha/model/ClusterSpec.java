package dev.kubeha.model;

import java.util.List;

/** Everything the operator asked for: the in-memory form of an answers file. */
public record ClusterSpec(ClusterInfo cluster, SshSpec ssh, List<HostSpec> hosts, LoadBalancerSpec loadBalancer,
                          NetworkSpec network, EtcdSpec etcd, ContainerRuntime containerRuntime, AddonsSpec addons) {
    public static final String API_VERSION = "kubeha/v1";

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

    public ClusterSpec withHosts(List<HostSpec> newHosts) {
        return new ClusterSpec(cluster, ssh, newHosts, loadBalancer, network, etcd, containerRuntime, addons);
    }
}
