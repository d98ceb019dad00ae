package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.sources.Download;
import dev.kubeha.sources.Downloader;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.sources.TransferListener;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.ReleaseServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Add-on inputs: local files as they are, else downloads in the shared cache; reading them never downloads. */
class AddonSourcesTest {
    @TempDir
    Path dir;

    SourceCache cache() {
        return SourceCache.sharedBy(dir.resolve("state").resolve("kubernetes"));
    }

    @Test
    void whatIsDownloadedIsReadFromTheSharedCacheAndNothingElseIsFetched() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        assertEquals(List.of("kube-flannel.yml v0.28.9", "kube-prometheus v0.18.0"),
                AddonSources.cached(spec, cache()).missing(spec));
        try (ReleaseServer server = new ReleaseServer()) {
            server.put("/flannel/v0.28.9/kube-flannel.yml", "flannel-1".getBytes(StandardCharsets.UTF_8));
            server.put("/kube-prometheus/v0.18.0.tar.gz", new byte[] {1, 2, 3});
            Downloader downloader = new Downloader(HttpClient.newHttpClient(), Clock.systemUTC(), 1, Duration.ZERO);
            for (Download d : Releases.addons(spec, ReleaseSites.under(server.base()))) {
                downloader.fetch(d, cache(), TransferListener.NONE);
            }
            assertEquals(2, server.requests().size());
            AddonFiles files = AddonSources.cached(spec, cache());
            assertEquals(Optional.of("flannel-1"), files.flannelManifest());
            assertArrayEquals(new byte[] {1, 2, 3}, files.kubePrometheusArchive().orElseThrow());
            assertEquals(List.of(), files.missing(spec));
            assertEquals(2, server.requests().size(), "reading the cache sends no request");
        }
        Files.writeString(cache().dir().resolve("flannel/kube-flannel-v0.28.9.yml"), "changed on disk");
        assertEquals(List.of("kube-flannel.yml v0.28.9"), AddonSources.cached(spec, cache()).missing(spec),
                "a cached file that no longer matches its recorded SHA-256 is not used");
    }

    @Test
    void localFilesAreReadAsTheyAre() throws IOException {
        ClusterSpec guide = GuideSpecs.guide();
        Path manifest = Files.writeString(dir.resolve("kube-flannel.yml"), "local flannel");
        Path archive = Files.write(dir.resolve("kp.tar.gz"), new byte[] {9});
        NetworkSpec n = guide.network();
        ClusterSpec offline = new ClusterSpec(guide.cluster(), guide.ssh(), guide.hosts(), guide.loadBalancer(),
                new NetworkSpec(n.podSubnet(), n.serviceSubnet(), n.dnsDomain(), n.proxyMode(), n.cni(),
                        n.flannelBackend(), manifest.toString()), guide.etcd(), guide.containerRuntime(),
                new AddonsSpec(true, archive.toString()));
        assertEquals(List.of(), Releases.addons(offline, ReleaseSites.UPSTREAM), "nothing to download");
        AddonFiles files = AddonSources.cached(offline, cache());
        assertEquals(Optional.of("local flannel"), files.flannelManifest());
        assertArrayEquals(new byte[] {9}, files.kubePrometheusArchive().orElseThrow());
        Files.delete(archive);
        AddonSources.AddonException missing = assertThrows(AddonSources.AddonException.class,
                () -> AddonSources.cached(offline, cache()));
        assertTrue(missing.getMessage().startsWith("addons.kubePrometheusArchive: cannot read " + archive),
                missing.getMessage());
    }
}
