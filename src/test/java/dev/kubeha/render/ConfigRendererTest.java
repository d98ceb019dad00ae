package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigRendererTest {
    private final ClusterSpec spec = Guide.spec();

    @Test
    void guideTreeMatchesGoldens() {
        Goldens.check("guide", ConfigRenderer.render(spec, Guide.facts(spec), Guide.SECRETS, Guide.CA_CERT_HASH));
    }

    @Test
    void renderingIsDeterministicAndSorted() {
        List<RenderedFile> a = ConfigRenderer.render(spec, Guide.facts(spec), Guide.SECRETS, Guide.CA_CERT_HASH);
        List<RenderedFile> b = ConfigRenderer.render(Guide.spec(), Guide.facts(spec), Guide.SECRETS, Guide.CA_CERT_HASH);
        assertEquals(a, b);
        for (int i = 1; i < a.size(); i++) {
            String prev = a.get(i - 1).host() + a.get(i - 1).path();
            assertTrue(prev.compareTo(a.get(i).host() + a.get(i).path()) < 0, "sorted and unique at " + a.get(i));
        }
    }

    @Test
    void everyHostGetsWhatItsRolesNeed() {
        List<RenderedFile> files = ConfigRenderer.render(spec, Guide.facts(spec), Guide.SECRETS, Guide.CA_CERT_HASH);
        List<String> worker1 = files.stream().filter(f -> f.host().equals("worker1")).map(RenderedFile::path).toList();
        assertEquals(List.of("/etc/apt/sources.list.d/kubernetes.list", "/etc/containerd/config.toml",
                "/etc/haproxy/haproxy.cfg", "/etc/hosts",
                "/etc/keepalived/check_haproxy.sh", "/etc/keepalived/keepalived.conf",
                "/etc/kubernetes/kubeadm-config.yaml", "/etc/modules-load.d/ipvs.conf",
                "/etc/modules-load.d/k8s.conf", "/etc/sysctl.d/k8s.conf", "/etc/systemd/system/containerd.service"),
                worker1);
        assertTrue(files.stream().anyMatch(f -> f.host().equals("worker2")
                && f.path().equals(KubeadmConfig.JOIN)));
        assertEquals(List.of("/etc/hosts"), files.stream().filter(f -> f.host().equals("ceph1"))
                .map(RenderedFile::path).toList());
        RenderedFile script = files.stream().filter(f -> f.path().equals(Keepalived.CHECK_SCRIPT)).findFirst()
                .orElseThrow();
        assertEquals(0755, script.mode());
        files.stream().filter(f -> f.path().startsWith("/etc/kubernetes/kubeadm"))
                .forEach(f -> assertEquals(0600, f.mode(), f.toString()));
        assertFalse(files.stream().anyMatch(f -> f.text().contains("abcdef.0123456789abcdef")));
    }
}
