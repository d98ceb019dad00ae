package dev.kubeha.sources;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The downloads a run needs and where each lies in the cache once fetched: what plan lists and the etcd steps install. */
public record SourceFiles(List<CachedFile> files) {
    public static final SourceFiles NONE = new SourceFiles(List.of());

    /** One download and its path in the cache. */
    public record CachedFile(Download download, Path path) {
    }

    public SourceFiles {
        files = List.copyOf(files);
    }

    public static SourceFiles of(List<Download> downloads, SourceCache cache) {
        return new SourceFiles(downloads.stream().map(d -> new CachedFile(d, cache.path(d))).toList());
    }

    public Optional<CachedFile> find(String component, String arch) {
        return files.stream().filter(f -> f.download().component().equals(component)
                && f.download().arch().equals(arch)).findFirst();
    }
}
