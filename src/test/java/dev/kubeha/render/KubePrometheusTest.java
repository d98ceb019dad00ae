package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterInfo;
import dev.kubeha.model.ClusterSpec;
import org.junit.jupiter.api.Test;

class KubePrometheusTest {
    @Test
    void releaseAndStepsForTheMinor() {
        KubePrometheus install = KubePrometheus.forSpec(Guide.spec());
        assertEquals("v0.18.0", install.release());
        assertEquals(3, install.steps().size());
        assertTrue(install.steps().get(0).startsWith("kubectl apply --server-side -f manifests/setup"));
        assertTrue(install.steps().get(1).startsWith("kubectl wait --for condition=Established"));
        assertTrue(install.steps().get(2).endsWith("-f manifests/"));
    }

    @Test
    void aMinorWithoutReleaseIsAnError() {
        ClusterSpec spec = Guide.spec();
        ClusterInfo c = spec.cluster();
        ClusterSpec k137 = new ClusterSpec(new ClusterInfo(c.name(), "1.37.0", c.imageRepository(),
                c.packageRepository(), c.packageRepositoryKeyFingerprint()), spec.ssh(), spec.hosts(),
                spec.loadBalancer(), spec.network(), spec.etcd(),
                spec.containerRuntime(), spec.addons());
        RenderException e = assertThrows(RenderException.class, () -> KubePrometheus.forSpec(k137));
        assertTrue(e.getMessage().startsWith("addons.kubePrometheus: "), e.getMessage());
    }
}
