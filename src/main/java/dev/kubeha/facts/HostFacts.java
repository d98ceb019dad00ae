package dev.kubeha.facts;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What kubeha knows about one host, from read-only probes or from documented assumptions when offline.
 *
 * @param osId os-release ID (debian, ubuntu, rocky, almalinux, rhel, centos)
 * @param osVersion os-release VERSION_ID
 * @param kernel kernel release as uname -r prints it
 * @param cgroupVersion 1 or 2
 * @param interfaces every interface with its addresses
 * @param containerdVersion the installed or to-be-installed containerd, empty when unknown
 * @param conntrackModule nf_conntrack or nf_conntrack_ipv4, from a modinfo probe
 * @param sysctls which of kubeha's optional sysctl keys exist under /proc/sys on this kernel
 * @param assumed true when these facts are defaults rather than probed
 */
public record HostFacts(String hostname, OsFamily osFamily, String osId, String osVersion, String kernel, String arch,
                        int cpus, long memoryMb, long swapMb, int cgroupVersion, String machineId, String productUuid,
                        List<NetInterface> interfaces, Optional<String> containerdVersion, String conntrackModule,
                        Set<String> sysctls, boolean assumed) {
    public HostFacts {
        interfaces = List.copyOf(interfaces);
        sysctls = Set.copyOf(sysctls);
    }
}
