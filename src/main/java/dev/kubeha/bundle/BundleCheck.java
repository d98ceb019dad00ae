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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether a bundle carries what an answers file needs: its version, image repository, and for the architecture and
 * package family of each host that takes something from it, its packages, images and release files.
 */
public final class BundleCheck {
    private BundleCheck() {
    }

    /**
     * Every mismatch between the bundle and the answers, for these host architectures (none known: every
     * architecture the bundle carries must be complete, with its .debs); empty when it fits.
     */
    public static List<String> problems(ClusterSpec spec, Bundle bundle, List<String> hostArches) {
        List<String> arches = hostArches.isEmpty() ? bundle.manifest().architectures() : hostArches;
        Map<String, Set<OsFamily>> nodes = new TreeMap<>();
        arches.forEach(a -> nodes.put(a, EnumSet.of(OsFamily.DEBIAN)));
        return problems(spec, bundle, nodes, new TreeSet<>(arches), List.of());
    }

    /**
     * The same for probed hosts: only the hosts that take something from the bundle count. Each Kubernetes node
     * needs the packages of its family (.debs or .rpms), the images and the runtime's release files for its
     * architecture; each external etcd member the etcd archive for its own; a load-balancer-only host nothing.
     * With none of those hosts probed yet, as without facts.
     */
    public static List<String> problems(ClusterSpec spec, Bundle bundle, Map<String, HostFacts> facts) {
        Map<String, Set<OsFamily>> nodes = new TreeMap<>();
        TreeSet<String> etcd = new TreeSet<>();
        List<String> out = new ArrayList<>();
        for (HostSpec host : spec.hosts()) {
            HostFacts f = facts.get(host.name());
            if (f == null) {
                continue;
            }
            if (host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER)) {
                nodes.computeIfAbsent(f.arch(), a -> EnumSet.noneOf(OsFamily.class)).add(f.osFamily());
                if (f.osFamily() == OsFamily.RHEL && bundle.manifest().of(BundleItem.Kind.RPM, f.arch()).isEmpty()
                        && bundle.manifest().architectures().contains(f.arch())) {
                    out.add(host.name() + ": runs " + f.osId() + " on " + f.arch() + ", and the bundle carries no"
                            + " rpm packages for " + f.arch() + "; make it with kubeha bundle --rpm");
                }
            }
            if (host.has(Role.ETCD)) {
                etcd.add(f.arch());
            }
        }
        return nodes.isEmpty() && etcd.isEmpty() ? problems(spec, bundle, List.of())
                : problems(spec, bundle, nodes, etcd, out);
    }

    private static List<String> problems(ClusterSpec spec, Bundle bundle, Map<String, Set<OsFamily>> nodes,
                                         Set<String> etcdArches, List<String> hostProblems) {
        BundleManifest manifest = bundle.manifest();
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
        TreeSet<String> needed = new TreeSet<>(nodes.keySet());
        needed.addAll(etcdArches);
        for (String arch : needed) {
            if (!manifest.architectures().contains(arch)) {
                out.add("the bundle carries " + String.join(", ", manifest.architectures()) + " only, and a host runs "
                        + arch + "; make it with --arch " + String.join(",", needed));
            }
        }
        out.addAll(hostProblems);
        List<String> expected = BundleImages.all(spec, localFlannelManifest(spec).or(() -> release(bundle,
                Releases.FLANNEL)), localKubePrometheus(spec).or(() -> release(bundle, Releases.KUBE_PROMETHEUS)));
        nodes.forEach((arch, families) -> {
            if (!manifest.architectures().contains(arch)) {
                return;
            }
            List<String> images = manifest.of(BundleItem.Kind.IMAGE, arch).stream().map(BundleItem::name).toList();
            expected.stream().filter(i -> !images.contains(i))
                    .forEach(i -> out.add("the bundle lacks the image " + i + " for " + arch));
            for (OsFamily family : families) {
                out.addAll(missingPackages(manifest, family, arch, version));
            }
        });
        List<String> releases = manifest.of(BundleItem.Kind.RELEASE).stream().map(BundleItem::fileName).toList();
        for (Download d : Releases.forArchitectures(spec, List.copyOf(nodes.keySet()), List.copyOf(etcdArches),
                ReleaseSites.UPSTREAM)) {
            if (manifest.architectures().contains(d.arch()) || d.arch().isEmpty()) {
                if (!releases.contains(d.fileName())) {
                    out.add("the bundle lacks " + d.title() + " (" + d.fileName() + "); "
                            + d.instead("a local copy") + ", or make the bundle again");
                }
            }
        }
        return out;
    }

    /** Kubernetes packages of one family the bundle lacks for an architecture, when it carries any of that family. */
    private static List<String> missingPackages(BundleManifest manifest, OsFamily family, String arch,
                                                String version) {
        BundleItem.Kind kind = family == OsFamily.DEBIAN ? BundleItem.Kind.DEB : BundleItem.Kind.RPM;
        List<BundleItem> packages = manifest.of(kind, arch);
        if (family == OsFamily.RHEL && packages.isEmpty()) {
            return List.of();
        }
        String what = family == OsFamily.DEBIAN ? "the package " : "the rpm package ";
        return KubernetesPackages.PACKAGES.stream()
                .filter(p -> packages.stream().noneMatch(d -> d.name().equals(p)
                        && d.version().startsWith(version + "-")))
                .map(p -> "the bundle lacks " + what + p + " " + version + " for " + arch).toList();
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
