package dev.kubeha.model;

import java.util.List;

/**
 * What the last successful apply left on the hosts (each host's name, address, roles, SSH port and user; the VIP; the
 * etcd mode; whether etcd.backup's snapshot timer runs on the external members): kept in the state directory and
 * compared with the answers to plan membership changes and to remove what the answers no longer ask for.
 */
public record AppliedTopology(List<HostSpec> hosts, String vip, boolean stackedEtcd, boolean etcdBackup) {
    public AppliedTopology {
        hosts = List.copyOf(hosts);
    }

    /** The topology an apply of {@code spec} leaves, with every host's SSH port and user resolved. */
    public static AppliedTopology of(ClusterSpec spec) {
        return new AppliedTopology(spec.hosts().stream().map(h -> new HostSpec(h.name(), h.address(), h.roles(),
                h.sshPort(spec.ssh()), h.sshUser(spec.ssh()), null)).toList(), spec.loadBalancer().vip(),
                spec.stackedEtcd(), !spec.stackedEtcd() && spec.etcd().backup().enabled());
    }

    public List<HostSpec> hostsWith(Role role) {
        return hosts.stream().filter(h -> h.has(role)).toList();
    }

    /** The etcd members: the control planes when etcd is stacked, the etcd hosts otherwise. */
    public List<HostSpec> etcdMembers() {
        return hostsWith(stackedEtcd ? Role.CONTROL_PLANE : Role.ETCD);
    }
}
