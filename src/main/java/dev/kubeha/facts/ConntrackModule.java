package dev.kubeha.facts;

import dev.kubeha.model.Version;
import java.util.Optional;

/** Chooses the connection-tracking module to load: the modinfo probe's answer, else the kernel-version rule. */
public final class ConntrackModule {
    public static final String MERGED = "nf_conntrack";
    public static final String LEGACY_IPV4 = "nf_conntrack_ipv4";
    private static final Version MERGED_SINCE = new Version(4, 19, 0);

    private ConntrackModule() {
    }

    /**
     * The module for a host.
     *
     * @param probed the module modinfo found on the host, empty when it was not probed
     * @param kernel the kernel release as uname -r prints it
     */
    public static String choose(Optional<String> probed, String kernel) {
        return probed.filter(m -> !m.isBlank()).orElseGet(() -> forKernel(kernel));
    }

    /** Linux 4.19 merged nf_conntrack_ipv4 into nf_conntrack; an unreadable release is treated as current. */
    public static String forKernel(String kernel) {
        return KernelRelease.version(kernel).map(v -> v.compareTo(MERGED_SINCE) >= 0 ? MERGED : LEGACY_IPV4)
                .orElse(MERGED);
    }
}
