package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.FlannelBackend;
import java.util.Map;
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
}
