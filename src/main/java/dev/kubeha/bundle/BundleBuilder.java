package dev.kubeha.bundle;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.render.KubernetesPackages;
import dev.kubeha.sources.Download;
import dev.kubeha.sources.Downloader;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.sources.SourceException;
import dev.kubeha.sources.TransferListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes a bundle for a spec on a jump host with access to its sources: the release files through the verified
 * downloader and shared cache, the Kubernetes .debs (and .rpms when asked) from the signed package repository, and
 * every image the cluster runs, pulled for each architecture.
 */
public final class BundleBuilder {
    private final Downloader downloader;
    private final SourceCache cache;
    private final HttpClient http;
    private final ImagePull images;
    private final TransferListener transfers;
    private final Consumer<String> say;

    public BundleBuilder(Downloader downloader, SourceCache cache, HttpClient http,
                         ImagePull images, TransferListener transfers, Consumer<String> say) {
        this.downloader = downloader;
        this.cache = cache;
        this.http = http;
        this.images = images;
        this.transfers = transfers;
        this.say = say;
    }

    /** Writes the bundle for {@code arches} with the .debs to {@code out}. */
    public BundleManifest write(ClusterSpec spec, List<String> arches, ReleaseSites sites, Path out) {
        return write(spec, arches, false, sites, out);
    }

    /**
     * Writes the bundle for {@code arches} to {@code out}, with the .rpms of the same packages too when asked; the
     * staging directory beside it is removed after.
     */
    public BundleManifest write(ClusterSpec spec, List<String> arches, boolean rpms, ReleaseSites sites, Path out) {
        Path staging;
        try {
            staging = Files.createTempDirectory(out.toAbsolutePath().getParent(), ".kubeha-bundle-");
        } catch (IOException e) {
            throw new BundleException(out + ": cannot make a staging directory beside it: " + e.getMessage());
        }
        try {
            List<BundleItem> items = new ArrayList<>();
            Optional<byte[]> flannel = BundleCheck.localFlannelManifest(spec);
            Optional<byte[]> prometheus = BundleCheck.localKubePrometheus(spec);
            for (Download d : Releases.forArchitectures(spec, arches, sites)) {
                Path file = downloader.fetch(d, cache, transfers);
                items.add(stage(staging, "releases/" + d.component() + "/" + d.fileName(), file,
                        BundleItem.Kind.RELEASE, d.component(), d.version(), d.arch()));
                if (d.component().equals(Releases.FLANNEL)) {
                    flannel = Optional.of(BundleCheck.readPath(file));
                } else if (d.component().equals(Releases.KUBE_PROMETHEUS)) {
                    prometheus = Optional.of(BundleCheck.readPath(file));
                }
            }
            items.addAll(packages(spec, arches, staging));
            if (rpms) {
                items.addAll(rpms(spec, arches, staging));
            }
            List<String> refs = BundleImages.all(spec, flannel, prometheus);
            for (String arch : arches) {
                for (String ref : refs) {
                    say.accept("image " + ref + " linux/" + arch);
                    String path = "images/" + arch + "/" + ref.replaceAll("[/:@]", "_") + ".tar";
                    Path target = staging.resolve(path);
                    images.pull(ref, arch, target);
                    items.add(item(path, target, BundleItem.Kind.IMAGE, ref, "", arch));
                }
            }
            BundleManifest manifest = new BundleManifest(KubernetesPackages.version(spec), arches,
                    spec.cluster().imageRepository(), items);
            say.accept("writing " + out + " (" + items.size() + " files)");
            BundleArchive.write(out, manifest, staging);
            return manifest;
        } catch (SourceException e) {
            throw new BundleException(e.getMessage());
        } finally {
            BundleArchive.delete(staging);
        }
    }

    private List<BundleItem> packages(ClusterSpec spec, List<String> arches, Path staging) {
        URI base = URI.create(KubernetesPackages.repository(spec) + "/deb/");
        say.accept("package repository " + base);
        DebRepository repository = new DebRepository(http, base);
        List<DebRepository.Package> chosen = DebRepository.select(
                repository.packages(spec.cluster().signingKeyPin()), KubernetesPackages.PACKAGES,
                KubernetesPackages.version(spec), arches);
        List<BundleItem> out = new ArrayList<>();
        for (DebRepository.Package p : chosen) {
            Path file = downloader.fetch(repository.download(p, "cluster.packageRepository"), cache, transfers);
            out.add(stage(staging, "debs/" + p.arch() + "/" + p.fileName(), file, BundleItem.Kind.DEB, p.name(),
                    p.version(), p.arch()));
        }
        return out;
    }

    /** The .rpms of kubelet, kubeadm and kubectl and what they require from the same repository, verified. */
    List<BundleItem> rpms(ClusterSpec spec, List<String> arches, Path staging) {
        URI base = URI.create(KubernetesPackages.repository(spec) + "/rpm/");
        say.accept("package repository " + base);
        RpmRepository repository = new RpmRepository(http, base);
        List<RpmRepository.Package> all = repository.packages(spec.cluster().signingKeyPin());
        List<BundleItem> out = new ArrayList<>();
        for (String arch : arches) {
            for (RpmRepository.Package p : RpmRepository.select(all, KubernetesPackages.PACKAGES,
                    KubernetesPackages.version(spec), List.of(arch))) {
                Path file = downloader.fetch(repository.download(p, arch, "cluster.packageRepository"), cache,
                        transfers);
                out.add(stage(staging, "rpms/" + arch + "/" + p.fileName(), file, BundleItem.Kind.RPM, p.name(),
                        p.fullVersion(), arch));
            }
        }
        return out;
    }

    private static BundleItem stage(Path staging, String path, Path file, BundleItem.Kind kind, String name,
                                    String version, String arch) {
        Path target = staging.resolve(path);
        try {
            Files.createDirectories(target.getParent());
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BundleException(target + ": cannot copy " + file + ": " + e.getMessage());
        }
        return item(path, target, kind, name, version, arch);
    }

    private static BundleItem item(String path, Path file, BundleItem.Kind kind, String name, String version,
                                   String arch) {
        try {
            return new BundleItem(path, kind, name, version, arch, SourceCache.sha256(file), Files.size(file));
        } catch (IOException e) {
            throw new BundleException(file + ": cannot read it: " + e.getMessage());
        }
    }
}
