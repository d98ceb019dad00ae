package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.JumpHostPath;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.sources.Download;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The add-on inputs on the jump host: the operator's local files, else verified downloads in the shared cache. */
public final class AddonSources {
    /** A local file that cannot be read; the message names the field and the file. */
    public static final class AddonException extends RuntimeException {
        public AddonException(String message) {
            super(message);
        }
    }

    private AddonSources() {
    }

    /** Local files and verified cached downloads; sends no request. What is not here yet stays empty. */
    public static AddonFiles cached(ClusterSpec spec, SourceCache cache) {
        Optional<String> flannel = Optional.empty();
        if (spec.network().cni() == Cni.FLANNEL) {
            flannel = source(spec.network().flannelManifest(), "network.flannelManifest", Releases.FLANNEL, spec,
                    cache).map(b -> new String(b, StandardCharsets.UTF_8));
        }
        Optional<byte[]> prometheus = Optional.empty();
        if (spec.addons().kubePrometheus()) {
            prometheus = source(spec.addons().kubePrometheusArchive(), "addons.kubePrometheusArchive",
                    Releases.KUBE_PROMETHEUS, spec, cache);
        }
        return new AddonFiles(flannel, prometheus);
    }

    private static Optional<byte[]> source(String localFile, String field, String component, ClusterSpec spec,
                                           SourceCache cache) {
        if (!localFile.isEmpty()) {
            return Optional.of(read(JumpHostPath.of(localFile), field));
        }
        Optional<Download> download = Releases.of(Releases.addons(spec, ReleaseSites.UPSTREAM), component).stream()
                .findFirst();
        return download.flatMap(cache::verified).map(p -> read(p, field));
    }

    private static byte[] read(Path file, String field) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AddonException(field + ": cannot read " + file + ": " + e.getMessage());
        }
    }
}
