package dev.kubeha.render;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostLayout;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.ProxyMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kernel settings and modules every Kubernetes node needs, written only where the host's kernel has them. */
public final class OsPreparation {
    public static final String SYSCTL = "/etc/sysctl.d/k8s.conf";
    public static final String MODULES = "/etc/modules-load.d/k8s.conf";
    public static final String IPVS_MODULES = "/etc/modules-load.d/ipvs.conf";
    /** Always written: kubeadm's preflight needs forwarding; flannel's bridge needs br_netfilter's keys. */
    public static final Map<String, String> REQUIRED_SYSCTLS = ordered(
            "net.ipv4.ip_forward", "1",
            "net.bridge.bridge-nf-call-iptables", "1",
            "net.bridge.bridge-nf-call-ip6tables", "1");
    /** Written only when the host's facts list the key as present under /proc/sys. */
    public static final Map<String, String> OPTIONAL_SYSCTLS = HostLayout.OPTIONAL_SYSCTLS;
    static final List<String> IPVS = List.of("ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh");

    private OsPreparation() {
    }

    public static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts) {
        List<RenderedFile> out = new ArrayList<>();
        for (HostSpec host : spec.hosts()) {
            if (!Topology.isKubernetesNode(host)) {
                continue;
            }
            HostFacts f = Topology.facts(facts, host);
            out.add(RenderedFile.text(host.name(), SYSCTL, 0644, sysctl(host, f)));
            out.add(RenderedFile.text(host.name(), MODULES, 0644,
                    "# Rendered by kubeha: overlay for the container runtime, br_netfilter for flannel's bridge.\n"
                            + "overlay\nbr_netfilter\n"));
            if (spec.network().proxyMode() == ProxyMode.IPVS) {
                out.add(RenderedFile.text(host.name(), IPVS_MODULES, 0644, ipvs(f)));
            }
        }
        return out;
    }

    private static String sysctl(HostSpec host, HostFacts facts) {
        StringBuilder s = new StringBuilder("# Rendered by kubeha for ").append(host.name())
                .append(" (kernel ").append(Topology.word(facts.kernel(), host.name() + ": kernel"))
                .append("): only keys this kernel has.\n");
        REQUIRED_SYSCTLS.forEach((k, v) -> s.append(k).append(" = ").append(v).append('\n'));
        OPTIONAL_SYSCTLS.forEach((k, v) -> {
            if (facts.sysctls().contains(k)) {
                s.append(k).append(" = ").append(v).append('\n');
            }
        });
        return s.toString();
    }

    private static String ipvs(HostFacts facts) {
        String conntrack = Topology.word(facts.conntrackModule(), facts.hostname() + ": conntrackModule");
        StringBuilder s = new StringBuilder("# Rendered by kubeha: kube-proxy's IPVS mode; ")
                .append(conntrack).append(" as the kernel provides it.\n");
        IPVS.forEach(m -> s.append(m).append('\n'));
        return s.append(conntrack).append('\n').toString();
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
