package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.FlannelBackend;
import dev.kubeha.model.NetworkSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlannelTest {
    /** A small stand-in with the shape of kube-flannel.yml; flannel's own manifest is not copied here. */
    private static final String MANIFEST = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: kube-flannel
            ---
            kind: ConfigMap
            apiVersion: v1
            metadata:
              name: kube-flannel-cfg
              namespace: kube-flannel
            data:
              cni-conf.json: |
                {
                  "name": "cbr0"
                }
              net-conf.json: |
                {
                  "Network": "10.244.0.0/16",
                  "EnableNFTables": false,
                  "Backend": {
                    "Type": "vxlan"
                  }
                }
            ---
            kind: DaemonSet
            apiVersion: apps/v1
            metadata:
              name: kube-flannel-ds
            spec:
              template:
                spec:
                  volumes:
                  - name: flannel-cfg
                    configMap:
                      name: kube-flannel-cfg
            """;

    @Test
    void networkAndBackendArePatchedAndTheRestKept() {
        String patched = FlannelManifest.patch(MANIFEST, "10.97.0.0/16", FlannelBackend.VXLAN);
        assertEquals(Map.of("Network", "10.97.0.0/16", "EnableNFTables", false, "Backend", Map.of("Type", "vxlan")),
                FlannelManifest.netConf(patched));
        assertTrue(patched.contains("  cni-conf.json: |\n    {\n      \"name\": \"cbr0\"\n    }\n"));
        assertTrue(patched.endsWith("          name: kube-flannel-cfg\n"));
        String hostGw = FlannelManifest.patch(patched, "10.97.0.0/16", FlannelBackend.HOST_GW);
        assertEquals(Map.of("Type", "host-gw"), FlannelManifest.netConf(hostGw).get("Backend"));
        assertEquals(hostGw, FlannelManifest.patch(hostGw, "10.97.0.0/16", FlannelBackend.HOST_GW));
    }

    @Test
    void aManifestWithoutTheConfigMapIsRefused() {
        String noConfigMap = MANIFEST.replace("kube-flannel-cfg", "something-else");
        RenderException e = assertThrows(RenderException.class,
                () -> FlannelManifest.patch(noConfigMap, "10.97.0.0/16", FlannelBackend.VXLAN));
        assertTrue(e.getMessage().contains("kube-flannel-cfg"));
    }

    @Test
    void pinnedReleaseOrLocalFile() {
        ClusterSpec spec = Guide.spec();
        FlannelSource.Download download = assertInstanceOf(FlannelSource.Download.class,
                FlannelSource.forSpec(spec, Optional.empty()));
        assertEquals("v0.28.9", download.version());
        assertEquals("https://github.com/flannel-io/flannel/releases/download/v0.28.9/kube-flannel.yml",
                download.url());
        NetworkSpec n = spec.network();
        ClusterSpec offline = new ClusterSpec(spec.cluster(), spec.ssh(), spec.hosts(), spec.loadBalancer(),
                new NetworkSpec(n.podSubnet(), n.serviceSubnet(), n.dnsDomain(), n.proxyMode(), n.cni(),
                        n.flannelBackend(), "/srv/kube-flannel.yml"), spec.etcd(), spec.containerRuntime(),
                spec.addons());
        assertEquals(new FlannelSource.LocalFile(Path.of("/srv/kube-flannel.yml")),
                FlannelSource.forSpec(offline, Optional.empty()));
    }

    @Test
    void checksumIsRecordedOnFirstUseAndEnforcedAfter() {
        byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
        String sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertEquals(new FlannelSource.Verdict.FirstUse(sha), FlannelSource.verify(bytes, Optional.empty()));
        assertEquals(new FlannelSource.Verdict.Match(sha), FlannelSource.verify(bytes, Optional.of(sha.toUpperCase())));
        assertEquals(new FlannelSource.Verdict.Mismatch("00", sha), FlannelSource.verify(bytes, Optional.of("00")));
    }
}
