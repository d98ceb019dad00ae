package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Add-on inputs: local files as they are, downloads pinned by the SHA-256 recorded on their first download. */
class AddonSourcesTest {
    static final String FLANNEL_URL = "https://github.com/flannel-io/flannel/releases/download/v0.28.9/kube-flannel.yml";
    static final String PROMETHEUS_URL =
            "https://github.com/prometheus-operator/kube-prometheus/archive/refs/tags/v0.18.0.tar.gz";

    @TempDir
    Path dir;

    final Map<String, byte[]> served = new HashMap<>();
    final List<String> asked = new ArrayList<>();
    final AddonSources.Fetcher fetcher = url -> {
        asked.add(url);
        byte[] bytes = served.get(url);
        if (bytes == null) {
            throw new IOException("HTTP 404");
        }
        return bytes;
    };

    StateDir state() {
        return StateDir.at(dir.resolve("state"));
    }

    @Test
    void theFirstDownloadIsRecordedLaterOnesMustMatchAndTheCacheServesOffline() {
        ClusterSpec spec = GuideSpecs.guide();
        served.put(FLANNEL_URL, "flannel-1".getBytes(StandardCharsets.UTF_8));
        served.put(PROMETHEUS_URL, new byte[] {1, 2, 3});
        AddonFiles first = AddonSources.fetch(spec, state(), fetcher);
        assertEquals(Optional.of("flannel-1"), first.flannelManifest());
        assertArrayEquals(new byte[] {1, 2, 3}, first.kubePrometheusArchive().orElseThrow());
        assertEquals(List.of(FLANNEL_URL, PROMETHEUS_URL), asked);

        asked.clear();
        AddonFiles offline = AddonSources.cached(spec, state());
        assertEquals(Optional.of("flannel-1"), offline.flannelManifest());
        assertEquals(List.of(), offline.missing(spec));
        assertEquals(List.of(), asked, "the cache is used without asking the network");

        served.put(FLANNEL_URL, "flannel-2, tampered".getBytes(StandardCharsets.UTF_8));
        assertTrue(AddonSources.fetch(spec, state(), fetcher).flannelManifest().orElseThrow().equals("flannel-1"),
                "a verified cache is not downloaded again");
        try (var files = Files.list(state().root().resolve("downloads"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yml")).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        AddonSources.AddonException changed = assertThrows(AddonSources.AddonException.class,
                () -> AddonSources.fetch(spec, state(), fetcher));
        assertTrue(changed.getMessage().startsWith(FLANNEL_URL + " has SHA-256 "), changed.getMessage());
        assertTrue(changed.getMessage().contains("was recorded on its first download"), changed.getMessage());
    }

    @Test
    void withoutTheNetworkNothingIsDownloadedAndWhatIsMissingIsNamed() {
        ClusterSpec spec = GuideSpecs.guide();
        AddonFiles offline = AddonSources.cached(spec, state());
        assertEquals(List.of("kube-flannel.yml v0.28.9", "kube-prometheus v0.18.0"), offline.missing(spec));
        assertEquals(List.of(), asked);
        AddonSources.AddonException unreachable = assertThrows(AddonSources.AddonException.class,
                () -> AddonSources.fetch(spec, state(), fetcher));
        assertEquals("cannot download " + FLANNEL_URL + ": HTTP 404; without internet access on this jump host,"
                + " download it elsewhere and set network.flannelManifest to the file", unreachable.getMessage());
    }

    @Test
    void localFilesAreReadAsTheyAreAndNeverDownloaded() throws IOException {
        ClusterSpec guide = GuideSpecs.guide();
        Path manifest = Files.writeString(dir.resolve("kube-flannel.yml"), "local flannel");
        Path archive = Files.write(dir.resolve("kp.tar.gz"), new byte[] {9});
        NetworkSpec n = guide.network();
        ClusterSpec offline = new ClusterSpec(guide.cluster(), guide.ssh(), guide.hosts(), guide.loadBalancer(),
                new NetworkSpec(n.podSubnet(), n.serviceSubnet(), n.dnsDomain(), n.proxyMode(), n.cni(),
                        n.flannelBackend(), manifest.toString()), guide.etcd(), guide.containerRuntime(),
                new AddonsSpec(true, archive.toString()));
        AddonFiles files = AddonSources.fetch(offline, state(), fetcher);
        assertEquals(Optional.of("local flannel"), files.flannelManifest());
        assertArrayEquals(new byte[] {9}, files.kubePrometheusArchive().orElseThrow());
        assertEquals(List.of(), asked);
        Files.delete(archive);
        AddonSources.AddonException missing = assertThrows(AddonSources.AddonException.class,
                () -> AddonSources.cached(offline, state()));
        assertTrue(missing.getMessage().startsWith("addons.kubePrometheusArchive: cannot read " + archive),
                missing.getMessage());
    }
}
