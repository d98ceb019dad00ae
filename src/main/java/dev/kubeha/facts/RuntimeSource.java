package dev.kubeha.facts;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where each node's containerd comes from: containerRuntimeInstall, and for {@code auto} the host's OS. Debian and
 * Ubuntu ship containerd 1.x (Debian 12: 1.6.20, Debian 13: 1.7.24), past its end of life since September 2026 and
 * left behind by the kubelet in 1.38 (KEP-4033), so auto takes containerd's release archive there; on the RHEL family
 * containerd.io comes from Docker's repository, which follows containerd's current releases.
 */
public final class RuntimeSource {
    private RuntimeSource() {
    }

    /** Whether this node installs containerd from its release archive. */
    public static boolean containerdFromArchive(ClusterSpec spec, HostFacts facts) {
        if (spec.containerRuntime() != ContainerRuntime.CONTAINERD) {
            return false;
        }
        return switch (spec.containerRuntimeInstall()) {
            case ARCHIVE -> true;
            case DISTRIBUTION -> false;
            case AUTO -> facts.osFamily() == OsFamily.DEBIAN;
        };
    }

    /** The Kubernetes nodes with facts that install containerd from its release archive. */
    public static Set<String> archiveHosts(ClusterSpec spec, Map<String, HostFacts> facts) {
        Set<String> out = new TreeSet<>();
        for (HostSpec host : spec.hosts()) {
            HostFacts f = facts.get(host.name());
            if (f != null && (host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER))
                    && containerdFromArchive(spec, f)) {
                out.add(host.name());
            }
        }
        return out;
    }
}
