package dev.kubeha.facts;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The facts kubeha assumes for a host it has not probed: a Debian 13 (trixie) amd64 machine.
 *
 * <p>Kernel 6.12 (trixie's kernel line), cgroup v2, containerd 2.1 (the containerd.io 2.1 packages kubeha installs),
 * one interface {@value #INTERFACE} carrying the host's address with an assumed /24 (IPv4) or /64 (IPv6) prefix,
 * the merged nf_conntrack module, and of kubeha's optional sysctl keys only those a 6.12 kernel has.
 */
public final class FactsDefaults {
    public static final String OS_ID = "debian";
    public static final String OS_VERSION = "13";
    public static final String KERNEL = "6.12.43+deb13-amd64";
    public static final String ARCH = "amd64";
    public static final int CPUS = 2;
    public static final long MEMORY_MB = 4096;
    public static final int CGROUP_VERSION = 2;
    public static final String CONTAINERD_VERSION = "2.1.4";
    public static final String INTERFACE = "eth0";
    public static final int IPV4_PREFIX = 24;
    public static final int IPV6_PREFIX = 64;
    /** The optional sysctl keys present under /proc/sys on a 6.12 kernel (no fs.may_detach_mounts, no ip_conntrack_max). */
    public static final Set<String> SYSCTLS =
            Set.of("vm.panic_on_oom", "fs.inotify.max_user_watches", "fs.inotify.max_user_instances");

    private FactsDefaults() {
    }

    public static HostFacts forHost(HostSpec host) {
        int prefix = host.address().contains(":") ? IPV6_PREFIX : IPV4_PREFIX;
        return new HostFacts(host.name(), OsFamily.DEBIAN, OS_ID, OS_VERSION, KERNEL, ARCH, CPUS, MEMORY_MB, 0,
                CGROUP_VERSION, "", "", List.of(new NetInterface(INTERFACE, List.of(host.address() + "/" + prefix))),
                Optional.of(CONTAINERD_VERSION), ConntrackModule.MERGED, SYSCTLS, true);
    }

    /** Assumed facts for every host of the spec, keyed and sorted by host name. */
    public static Map<String, HostFacts> forSpec(ClusterSpec spec) {
        Map<String, HostFacts> facts = new TreeMap<>();
        spec.hosts().forEach(h -> facts.put(h.name(), forHost(h)));
        return facts;
    }
}
