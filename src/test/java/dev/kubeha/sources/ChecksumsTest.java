package dev.kubeha.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.SupportedReleases;
import dev.kubeha.model.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped checksum table: well formed, one row per version and architecture, the etcd defaults listed. */
class ChecksumsTest {
    @Test
    void everyRowIsUniqueAndEtcdsDefaultIsListedForBothArchitectures() throws IOException {
        List<Checksums.Row> rows;
        try (var in = Checksums.class.getResourceAsStream("checksums.tsv")) {
            rows = Checksums.parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        }
        Set<String> keys = new HashSet<>();
        rows.forEach(r -> assertTrue(keys.add(r.component() + " " + r.version() + " " + r.arch()), r.toString()));
        assertEquals(Optional.of("633136f13fcadac52e5c0ddcb97912643af6fcb9cb362e75774d0f96f7666396"),
                Checksums.sha256(Releases.ETCD, EtcdSpec.DEFAULTS.version(), "amd64"));
        assertEquals(Optional.of("b51e433724325b66770019c4819d091b8965d2e81c07571a46e0619da1c8ece6"),
                Checksums.sha256(Releases.ETCD, "3.6.9", "arm64"));
        assertEquals(Optional.empty(), Checksums.sha256(Releases.ETCD, "3.6.9", "riscv64"));
        assertTrue(Checksums.lists(Releases.ETCD, "3.5.24"), "kubeadm's minimum external etcd is listed");
        for (String v : Checksums.versions(Releases.ETCD)) {
            assertTrue(Checksums.sha256(Releases.ETCD, v, "amd64").isPresent()
                    && Checksums.sha256(Releases.ETCD, v, "arm64").isPresent(), v);
        }
    }

    @Test
    void everyRuntimeReleaseTheVersionTablePinsIsListedForBothArchitecturesAndRecommendedForItsMinor() {
        for (KubernetesRelease r : SupportedReleases.all()) {
            for (String arch : List.of("amd64", "arm64")) {
                for (Map.Entry<String, Version> pin : Map.of(Releases.CONTAINERD, r.containerdArchive(),
                        Releases.RUNC, r.runc(), "cni-plugins", r.cniPlugins(), Releases.CRI_DOCKERD,
                        r.criDockerd()).entrySet()) {
                    assertTrue(Checksums.sha256(pin.getKey(), pin.getValue().toString(), arch).isPresent(),
                            r.minor() + " " + pin + " " + arch);
                }
            }
            assertTrue(r.containerdRecommended(r.containerdArchive()), r.minor() + " installs a containerd"
                    + " containerd recommends for it: " + r.containerdArchive() + " of " + r.containerd());
            assertEquals(2, r.containerdArchive().major(), r.minor());
        }
        assertEquals(Optional.of("9d68969855fbf676cdb8ed758e420fb048d61f984f61de3e53eddfebe484d168"),
                Checksums.sha256(Releases.CONTAINERD, "2.3.4", "amd64"));
    }

    @Test
    void aMalformedRowIsRefusedWithItsLine() {
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> Checksums.parse(
                new BufferedReader(new StringReader("# header\netcd\t3.6.9\tamd64\tnot-a-hash\n"))));
        assertEquals("checksums.tsv:2: not component, version, arch, sha256", bad.getMessage());
    }
}
