package dev.kubeha.model;

import java.util.List;

/**
 * What the last successful apply left on the hosts (each host's name, address, roles, SSH port and user; the VIP; the
 * etcd mode; whether etcd.backup's snapshot timer runs on the external members; the external members' etcd version,
 * empty when not recorded): kept in the state directory and compared with the answers to plan membership and etcd
 * version changes and to remove what the answers no longer ask for.
 */
public record AppliedTopology(List<HostSpec> hosts, String vip, boolean stackedEtcd, boolean etcdBackup,
                              String etcdVersion) {
    public AppliedTopology {
        hosts = List.copyOf(hosts);
    }

    /** A record that names no etcd version (written before kubeha kept one). */
    public AppliedTopology(List<HostSpec> hosts, String vip, boolean stackedEtcd, boolean etcdBackup) {
        this(hosts, vip, stackedEtcd, etcdBackup, "");
    }

    /** The topology an apply of {@code spec} leaves, with every host's SSH port and user resolved. */
    public static AppliedTopology of(ClusterSpec spec) {
        return new AppliedTopology(spec.hosts().stream().map(h -> new HostSpec(h.name(), h.address(), h.roles(),
                h.sshPort(spec.ssh()), h.sshUser(spec.ssh()), null)).toList(), spec.loadBalancer().vip(),
                spec.stackedEtcd(), !spec.stackedEtcd() && spec.etcd().backup().enabled(),
                spec.stackedEtcd() ? "" : spec.etcd().version());
    }

    public List<HostSpec> hostsWith(Role role) {
        return hosts.stream().filter(h -> h.has(role)).toList();
    }

    /** The etcd members: the control planes when etcd is stacked, the etcd hosts otherwise. */
    public List<HostSpec> etcdMembers() {
        return hostsWith(stackedEtcd ? Role.CONTROL_PLANE : Role.ETCD);
    }
}
