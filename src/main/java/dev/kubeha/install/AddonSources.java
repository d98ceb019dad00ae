package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.JumpHostPath;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.KubePrometheus;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.render.Topology;
import dev.kubeha.state.StateDir;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The add-on inputs on the jump host: the operator's local files, or downloads cached in the state directory whose
 * SHA-256 is recorded on first download (trust on first use) and must match on every later one.
 */
public final class AddonSources {
    static final String DOWNLOADS = "downloads";

    /** Fetches a URL's bytes; the real one is an HTTPS client, tests pass their own. */
    @FunctionalInterface
    public interface Fetcher {
        byte[] get(String url) throws IOException;
    }

    /** A local file or download that cannot be used; the message names the field or URL and what to do. */
    public static final class AddonException extends RuntimeException {
        public AddonException(String message) {
            super(message);
        }
    }

    private AddonSources() {
    }

    /** Without network access: local files and earlier downloads only; what is missing stays empty. */
    public static AddonFiles cached(ClusterSpec spec, StateDir state) {
        return load(spec, state, Optional.empty());
    }

    /** Local files, earlier downloads, and downloads of whatever is still missing. */
    public static AddonFiles fetch(ClusterSpec spec, StateDir state, Fetcher fetcher) {
        return load(spec, state, Optional.of(fetcher));
    }

    public static Fetcher https() {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build();
        return url -> {
            try {
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofMinutes(3)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                return response.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        };
    }

    private static AddonFiles load(ClusterSpec spec, StateDir state, Optional<Fetcher> fetcher) {
        Optional<String> flannel = Optional.empty();
        if (spec.network().cni() == Cni.FLANNEL) {
            String version = Topology.release(spec).flannel();
            flannel = source(state, spec.network().flannelManifest(), "network.flannelManifest",
                    "kube-flannel-" + version + ".yml", "https://github.com/flannel-io/flannel/releases/download/" + version + "/kube-flannel.yml", fetcher)
                    .map(b -> new String(b, StandardCharsets.UTF_8));
        }
        Optional<byte[]> prometheus = Optional.empty();
        if (spec.addons().kubePrometheus()) {
            KubePrometheus release = KubePrometheus.forSpec(spec);
            prometheus = source(state, spec.addons().kubePrometheusArchive(), "addons.kubePrometheusArchive",
                    "kube-prometheus-" + release.release() + ".tar.gz", release.archiveUrl(), fetcher);
        }
        return new AddonFiles(flannel, prometheus);
    }

    private static Optional<byte[]> source(StateDir state, String localFile, String field, String cacheName,
                                           String url, Optional<Fetcher> fetcher) {
        if (!localFile.isEmpty()) {
            try {
                return Optional.of(Files.readAllBytes(JumpHostPath.of(localFile)));
            } catch (IOException e) {
                throw new AddonException(field + ": cannot read " + localFile + ": " + e.getMessage());
            }
        }
        Path dir = state.subdir(DOWNLOADS);
        Path cached = dir.resolve(cacheName);
        Path recorded = dir.resolve(cacheName + ".sha256");
        Optional<String> expected = state.readPrivate(recorded)
                .map(b -> new String(b, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT));
        Optional<byte[]> bytes = state.readPrivate(cached);
        if (bytes.isPresent() && expected.isPresent() && RenderedFile.sha256(bytes.get()).equals(expected.get())) {
            return bytes;
        }
        if (fetcher.isEmpty()) {
            return Optional.empty();
        }
        byte[] downloaded;
        try {
            downloaded = fetcher.get().get(url);
        } catch (IOException e) {
            throw new AddonException("cannot download " + url + ": " + (e.getMessage() == null ? e.getClass()
                    .getSimpleName() : e.getMessage()) + "; without internet access"
                    + " on this jump host, download it elsewhere and set " + field + " to the file");
        }
        String actual = RenderedFile.sha256(downloaded);
        if (expected.isPresent() && !expected.get().equals(actual)) {
            throw new AddonException(url + " has SHA-256 " + actual + ", but " + expected.get() + " was recorded on"
                    + " its first download (" + recorded + "); the release changed or the download was tampered"
                    + " with. Check it, then remove " + recorded + " to accept the new file");
        }
        if (expected.isEmpty()) {
            state.writePrivate(recorded, (actual + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        state.writePrivate(cached, downloaded);
        return Optional.of(downloaded);
    }
}
