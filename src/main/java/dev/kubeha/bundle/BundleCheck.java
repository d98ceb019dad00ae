package dev.kubeha.bundle;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.JumpHostPath;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.KubernetesPackages;
import dev.kubeha.sources.Download;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Whether a bundle carries what an answers file needs: its version, image repository, architectures and files. */
public final class BundleCheck {
    private BundleCheck() {
    }

    /**
     * Every mismatch between the bundle and the answers, for these host architectures (none known: every
     * architecture the bundle carries must be complete); empty when it fits.
     */
    public static List<String> problems(ClusterSpec spec, Bundle bundle, List<String> hostArches) {
        BundleManifest manifest = bundle.manifest();
        List<String> arches = hostArches.isEmpty() ? manifest.architectures() : hostArches;
        List<String> out = new ArrayList<>();
        String version = KubernetesPackages.version(spec);
        if (!manifest.kubernetesVersion().equals(version)) {
            out.add("the bundle is for Kubernetes " + manifest.kubernetesVersion() + ", but cluster.kubernetesVersion"
                    + " is " + version + "; make a bundle from these answers");
            return out;
        }
        if (!manifest.imageRepository().equals(spec.cluster().imageRepository())) {
            out.add("the bundle's images are named after " + manifest.imageRepository() + ", but"
                    + " cluster.imageRepository is " + spec.cluster().imageRepository());
        }
        List<String> expected = BundleImages.all(spec, localFlannelManifest(spec).or(() -> release(bundle,
                Releases.FLANNEL)), localKubePrometheus(spec).or(() -> release(bundle, Releases.KUBE_PROMETHEUS)));
        for (String arch : new TreeSet<>(arches)) {
            if (!manifest.architectures().contains(arch)) {
                out.add("the bundle carries " + String.join(", ", manifest.architectures()) + " only, and a host runs "
                        + arch + "; make it with --arch " + String.join(",", new TreeSet<>(arches)));
                continue;
            }
            List<String> images = manifest.of(BundleItem.Kind.IMAGE, arch).stream().map(BundleItem::name).toList();
            expected.stream().filter(i -> !images.contains(i))
                    .forEach(i -> out.add("the bundle lacks the image " + i + " for " + arch));
            List<BundleItem> debs = manifest.of(BundleItem.Kind.DEB, arch);
            for (String p : KubernetesPackages.PACKAGES) {
                if (debs.stream().noneMatch(d -> d.name().equals(p) && d.version().startsWith(version + "-"))) {
                    out.add("the bundle lacks the package " + p + " " + version + " for " + arch);
                }
            }
        }
        List<String> releases = manifest.of(BundleItem.Kind.RELEASE).stream().map(BundleItem::fileName).toList();
        for (Download d : Releases.forArchitectures(spec, arches, ReleaseSites.UPSTREAM)) {
            if (!releases.contains(d.fileName())) {
                out.add("the bundle lacks " + d.title() + " (" + d.fileName() + "); " + d.instead("a local copy")
                        + ", or make the bundle again");
            }
        }
        return out;
    }

    /** The same for probed hosts: each Kubernetes node's architecture, and its package family (deb only). */
    public static List<String> problems(ClusterSpec spec, Bundle bundle, Map<String, HostFacts> facts) {
        List<String> out = new ArrayList<>();
        TreeSet<String> arches = new TreeSet<>();
        for (HostSpec host : spec.hosts()) {
            HostFacts f = facts.get(host.name());
            if (f == null) {
                continue;
            }
            arches.add(f.arch());
            if ((host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER)) && f.osFamily() == OsFamily.RHEL) {
                out.add(host.name() + ": runs " + f.osId() + ", and the bundle carries Debian packages only;"
                        + " install its Kubernetes packages from a mirror of the rpm repository");
            }
        }
        out.addAll(problems(spec, bundle, List.copyOf(arches)));
        return out;
    }

    /** network.flannelManifest's file on the jump host, when the answers name one. */
    static Optional<byte[]> localFlannelManifest(ClusterSpec spec) {
        String file = spec.network().flannelManifest();
        return spec.network().cni() != Cni.FLANNEL || file.isEmpty() ? Optional.empty() : Optional.of(read(file));
    }

    /** addons.kubePrometheusArchive on the jump host, when the answers name one. */
    static Optional<byte[]> localKubePrometheus(ClusterSpec spec) {
        String file = spec.addons().kubePrometheusArchive();
        return !spec.addons().kubePrometheus() || file.isEmpty() ? Optional.empty() : Optional.of(read(file));
    }

    private static Optional<byte[]> release(Bundle bundle, String component) {
        return bundle.manifest().of(BundleItem.Kind.RELEASE).stream().filter(i -> i.name().equals(component))
                .findFirst().map(i -> readPath(bundle.file(i)));
    }

    private static byte[] read(String jumpHostFile) {
        return readPath(JumpHostPath.of(jumpHostFile));
    }

    /** A whole file, or a BundleException naming it. */
    static byte[] readPath(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BundleException(file + ": cannot read it: " + e.getMessage());
        }
    }
}
