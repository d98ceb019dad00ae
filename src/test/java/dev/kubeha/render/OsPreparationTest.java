package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.FactsFile;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.model.ProxyMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OsPreparationTest {
    private final ClusterSpec spec = Guide.spec();

    @Test
    void currentKernelGetsNoLegacyKeys() {
        String sysctl = file(OsPreparation.render(spec, Guide.facts(spec)), "worker1", OsPreparation.SYSCTL);
        assertTrue(sysctl.contains("net.ipv4.ip_forward = 1\n"));
        assertTrue(sysctl.contains("net.bridge.bridge-nf-call-iptables = 1\n"));
        for (String absent : List.of("tcp_tw_recycle", "may_detach_mounts", "ip_conntrack_max", "ip_nonlocal_bind")) {
            assertFalse(sysctl.contains(absent), absent);
        }
    }

    @Test
    void el7KernelGetsItsLegacyKeysAndConntrackModule() {
        FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", """
                worker1:
                  kernel: 3.10.0-1160.el7.x86_64
                  osId: centos
                  sysctls: [fs.may_detach_mounts, net.ipv4.netfilter.ip_conntrack_max, net.ipv4.tcp_tw_recycle]
                """, spec);
        assertEquals(List.of(), loaded.problems());
        Map<String, HostFacts> facts = loaded.facts();
        List<RenderedFile> files = OsPreparation.render(spec, facts);
        String sysctl = file(files, "worker1", OsPreparation.SYSCTL);
        assertTrue(sysctl.contains("fs.may_detach_mounts = 1\n"));
        assertTrue(sysctl.contains("net.ipv4.netfilter.ip_conntrack_max = 65536\n"));
        assertFalse(sysctl.contains("tcp_tw_recycle"), "never, even where the kernel still has it");
        assertTrue(file(files, "worker1", OsPreparation.IPVS_MODULES).endsWith("\nnf_conntrack_ipv4\n"));
        assertTrue(file(files, "worker2", OsPreparation.IPVS_MODULES).endsWith("\nnf_conntrack\n"));
    }

    @Test
    void ipvsModulesOnlyForIpvsMode() {
        for (ProxyMode mode : List.of(ProxyMode.IPTABLES, ProxyMode.NFTABLES)) {
            NetworkSpec n = spec.network();
            ClusterSpec other = new ClusterSpec(spec.cluster(), spec.ssh(), spec.hosts(), spec.loadBalancer(),
                    new NetworkSpec(n.podSubnet(), n.serviceSubnet(), n.dnsDomain(), mode, n.cni(), n.flannelBackend(),
                            n.flannelManifest()), spec.etcd(), spec.containerRuntime(), spec.addons());
            assertTrue(OsPreparation.render(other, Guide.facts(spec)).stream()
                    .noneMatch(f -> f.path().equals(OsPreparation.IPVS_MODULES)), mode.yamlName());
        }
        assertEquals("# Rendered by kubeha: overlay for the container runtime, br_netfilter for flannel's bridge.\n"
                + "overlay\nbr_netfilter\n", file(OsPreparation.render(spec, Guide.facts(spec)), "worker2",
                OsPreparation.MODULES));
    }

    @Test
    void hostsBlockKeepsEverythingElseAndIsIdempotent() {
        String existing = "127.0.0.1 localhost\n::1 localhost ip6-localhost\n";
        String once = HostsBlock.merge(existing, spec);
        assertEquals(once, HostsBlock.merge(once, spec));
        assertTrue(once.startsWith(existing));
        assertTrue(once.contains("\n172.21.16.13 ceph3\n"));
        String edited = once + "10.1.1.1 printer\n";
        String again = HostsBlock.merge(edited.replace("10.0.8.6 worker1", "10.9.9.9 worker1"), spec);
        assertEquals(edited, again, "the block is rewritten in place, the line after it kept");
        assertEquals(HostsBlock.block(spec), HostsBlock.merge("", spec));
        assertEquals("x\n" + HostsBlock.block(spec), HostsBlock.merge("x", spec));
        assertThrows(RenderException.class, () -> HostsBlock.merge(HostsBlock.BEGIN + "\n1.2.3.4 a\n", spec));
    }

    static String file(List<RenderedFile> files, String host, String path) {
        return files.stream().filter(f -> f.host().equals(host) && f.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + host + ":" + path)).text();
    }
}
