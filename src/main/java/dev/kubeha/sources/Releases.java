package dev.kubeha.sources;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.JumpHostPath;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.Role;
import dev.kubeha.model.RuntimeArchive;
import dev.kubeha.model.RuntimeArchives;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.SupportedReleases;
import dev.kubeha.model.Version;
import java.util.ArrayList;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The release files a cluster needs, with their URLs and checksums: what apply downloads and plan lists. */
public final class Releases {
    public static final String ETCD = "etcd";
    public static final String FLANNEL = "flannel";
    public static final String KUBE_PROMETHEUS = "kube-prometheus";
    public static final String CONTAINERD = "containerd";
    public static final String RUNC = "runc";
    public static final String CNI_PLUGINS = "cni-plugins";
    public static final String CRI_DOCKERD = "cri-dockerd";
    /** The answers field that decides whether the runtime's release files are needed. */
    public static final String RUNTIME_FIELD = "containerRuntimeInstall";
    private static final List<String> ETCD_ARCHES = List.of("amd64", "arm64");

    private Releases() {
    }

    /**
     * What apply downloads for this spec: etcd for each architecture its members run (unless etcd.archive names a
     * local copy), containerd, runc and the CNI plugins for each architecture of the nodes that install containerd
     * from its archive, cri-dockerd for each node architecture with Docker Engine, flannel's manifest and
     * kube-prometheus (unless a local file is named).
     *
     * @param archOf each host's architecture by host name, as its facts report it
     * @param containerdFromArchive the nodes that install containerd from its release archive
     */
    public static List<Download> needed(ClusterSpec spec, Map<String, String> archOf,
                                        Set<String> containerdFromArchive, ReleaseSites sites) {
        TreeSet<String> arches = new TreeSet<>();
        spec.hostsWith(Role.ETCD).forEach(h -> arches.add(archOf.getOrDefault(h.name(), "")));
        List<Download> out = new ArrayList<>(etcd(spec, List.copyOf(arches), sites));
        TreeSet<String> runtimeArches = new TreeSet<>();
        spec.hosts().stream().filter(h -> h.has(Role.CONTROL_PLANE) || h.has(Role.WORKER))
                .filter(h -> spec.containerRuntime() == ContainerRuntime.DOCKER
                        || containerdFromArchive.contains(h.name()))
                .forEach(h -> runtimeArches.add(archOf.getOrDefault(h.name(), "")));
        out.addAll(runtime(spec, List.copyOf(runtimeArches), sites));
        out.addAll(addons(spec, sites));
        return List.copyOf(out);
    }

    /**
     * The container runtime's release files for these architectures: containerd, runc and the CNI plugins
     * (containerd's archive install, at the versions containerRuntimeArchives gives, else those kubeha pins), or
     * cri-dockerd (Docker Engine); none when the Kubernetes version is not in kubeha's table.
     */
    public static List<Download> runtime(ClusterSpec spec, List<String> arches, ReleaseSites sites) {
        Optional<KubernetesRelease> release = Version.parse(spec.cluster().kubernetesVersion())
                .flatMap(SupportedReleases::forVersion);
        if (release.isEmpty()) {
            return List.of();
        }
        KubernetesRelease r = release.get();
        List<Download> out = new ArrayList<>();
        for (String arch : new TreeSet<>(arches)) {
            if (spec.containerRuntime() == ContainerRuntime.DOCKER) {
                String v = r.criDockerd().toString();
                String tgz = "cri-dockerd-" + v + "." + arch + ".tgz";
                out.add(runtimeFile(CRI_DOCKERD, RUNTIME_FIELD, RuntimeArchive.PINNED, r.criDockerd(), arch,
                        arches.size(), tgz, sites.criDockerd().resolve("v" + v + "/" + tgz)));
            } else {
                RuntimeArchives given = spec.containerRuntimeArchives();
                Version containerd = given.containerdVersion(r);
                String tarGz = "containerd-" + containerd + "-linux-" + arch + ".tar.gz";
                out.add(runtimeFile(CONTAINERD, field("containerd"), given.containerd(), containerd, arch,
                        arches.size(), tarGz, sites.containerd().resolve("v" + containerd + "/" + tarGz)));
                Version runc = given.runc().versionOr(r.runc());
                out.add(runtimeFile(RUNC, field("runc"), given.runc(), runc, arch, arches.size(),
                        "runc-" + runc + "." + arch, sites.runc().resolve("v" + runc + "/runc." + arch)));
                Version cni = given.cniPlugins().versionOr(r.cniPlugins());
                String tgz = "cni-plugins-linux-" + arch + "-v" + cni + ".tgz";
                out.add(runtimeFile(CNI_PLUGINS, field("cniPlugins"), given.cniPlugins(), cni, arch, arches.size(), tgz,
                        sites.cniPlugins().resolve("v" + cni + "/" + tgz)));
            }
        }
        return out;
    }

    private static String field(String key) {
        return RuntimeArchives.FIELD + "." + key;
    }

    /**
     * One release file of the runtime: the version kubeha's table pins for the minor, or the operator's (its answers
     * field {@code field}, e.g. containerRuntimeArchives.containerd), checked against the operator's SHA-256, else the
     * shipped table's; downloaded from its release page, or taken from the operator's file on the jump host.
     */
    private static Download runtimeFile(String component, String field, RuntimeArchive given, Version version,
                                        String arch, int archesInUse, String file, URI release) {
        boolean local = !given.archive().isEmpty();
        boolean replaceable = !field.equals(RUNTIME_FIELD);
        if (!local && !ETCD_ARCHES.contains(arch)) {
            throw new SourceException(RUNTIME_FIELD + ": nodes run '" + arch + "', and kubeha downloads " + component
                    + " for " + String.join(" and ", ETCD_ARCHES) + " only; set containerRuntimeInstall: distribution"
                    + (replaceable ? ", or " + field + ".archive to a local " + file : ""));
        }
        if ((local || !given.archiveSha256().isEmpty()) && archesInUse > 1) {
            throw new SourceException(field + (local ? ".archive" : ".archiveSha256") + ": names one file, but the"
                    + " nodes that install containerd from its release run " + archesInUse + " architectures;"
                    + " serve the files from a release mirror (--release-mirror URL) instead");
        }
        Optional<String> sha = given.archiveSha256().isEmpty() ? Checksums.sha256(component, version.toString(), arch)
                : Optional.of(given.archiveSha256());
        if (sha.isEmpty() && given.version().isEmpty()) {
            throw new IllegalStateException("checksums.tsv lacks " + component + " " + version + " " + arch
                    + ", which kubernetes-releases.tsv pins");
        }
        if (sha.isEmpty()) {
            throw new SourceException(field + ".version: kubeha's checksum table has no SHA-256 for " + component
                    + " " + version + " (" + file + "); set " + field + ".archiveSha256 to the one its publisher"
                    + " released");
        }
        return new Download(component, version.toString(), arch, file,
                local ? JumpHostPath.of(given.archive()).toUri() : release, sha, replaceable ? field + ".archive"
                : field);
    }

    /**
     * What a bundle for these architectures carries: etcd (unless etcd.archive names a local copy), the runtime's
     * release files unless containerd comes from the distribution, and the add-ons.
     */
    public static List<Download> forArchitectures(ClusterSpec spec, List<String> arches, ReleaseSites sites) {
        return forArchitectures(spec, arches, arches, sites);
    }

    /** The same for Kubernetes nodes of {@code nodeArches} and external etcd members of {@code etcdArches}. */
    public static List<Download> forArchitectures(ClusterSpec spec, List<String> nodeArches, List<String> etcdArches,
                                                  ReleaseSites sites) {
        List<Download> out = new ArrayList<>(etcd(spec, etcdArches, sites));
        if (spec.containerRuntime() == ContainerRuntime.DOCKER
                || spec.containerRuntimeInstall() != RuntimeInstall.DISTRIBUTION) {
            out.addAll(runtime(spec, nodeArches, sites));
        }
        out.addAll(addons(spec, sites));
        return List.copyOf(out);
    }

    private static List<Download> etcd(ClusterSpec spec, List<String> arches, ReleaseSites sites) {
        List<Download> out = new ArrayList<>();
        EtcdSpec etcd = spec.etcd();
        if (!spec.stackedEtcd() && etcd.install() == EtcdInstall.ARCHIVE && etcd.archive().isEmpty()) {
            for (String arch : new TreeSet<>(arches)) {
                out.add(etcd(etcd, arch, arches.size(), sites));
            }
        }
        return out;
    }

    /** flannel's manifest and kube-prometheus, where the spec enables them and names no local file. */
    public static List<Download> addons(ClusterSpec spec, ReleaseSites sites) {
        List<Download> out = new ArrayList<>();
        Optional<KubernetesRelease> release = Version.parse(spec.cluster().kubernetesVersion())
                .flatMap(SupportedReleases::forVersion);
        if (release.isPresent() && spec.network().cni() == Cni.FLANNEL && spec.network().flannelManifest().isEmpty()) {
            out.add(flannel(release.get().flannel(), sites));
        }
        if (release.isPresent() && spec.addons().kubePrometheus() && spec.addons().kubePrometheusArchive().isEmpty()) {
            release.get().kubePrometheus().ifPresent(r -> out.add(kubePrometheus(r, sites)));
        }
        return out;
    }

    /** The downloads of one component, e.g. every etcd architecture. */
    public static List<Download> of(List<Download> downloads, String component) {
        return downloads.stream().filter(d -> d.component().equals(component)).toList();
    }

    /**
     * etcd's release archive for one architecture, checked against the shipped table, else etcd.archiveSha256 when
     * the members run one architecture; any other version is refused.
     */
    static Download etcd(EtcdSpec etcd, String arch, int archesInUse, ReleaseSites sites) {
        String version = Version.parse(etcd.version()).map(Version::toString)
                .orElseThrow(() -> new SourceException("etcd.version: '" + etcd.version() + "' is not a version"));
        String file = "etcd-v" + version + "-linux-" + arch + ".tar.gz";
        if (!ETCD_ARCHES.contains(arch)) {
            throw new SourceException("etcd.archive: etcd members run '" + arch + "', and kubeha downloads etcd for "
                    + String.join(" and ", ETCD_ARCHES) + " only; set etcd.archive to a local etcd-v" + version
                    + "-linux-ARCH.tar.gz, or etcd.install: package");
        }
        Optional<String> sha = Checksums.sha256(ETCD, version, arch);
        if (sha.isEmpty() && !etcd.archiveSha256().isEmpty()) {
            if (archesInUse > 1) {
                throw new SourceException("etcd.archiveSha256: is the checksum of one archive, but the etcd members"
                        + " run " + archesInUse + " architectures and kubeha's checksum table has no etcd " + version
                        + "; choose an etcd.version it lists (" + listed() + ")");
            }
            sha = Optional.of(etcd.archiveSha256());
        }
        if (sha.isEmpty()) {
            throw new SourceException("etcd.version: kubeha's checksum table has no SHA-256 for etcd " + version
                    + " (" + file + "), so it does not download it. Choose a listed etcd.version (" + listed()
                    + "), or set etcd.archiveSha256 to the SHA-256 etcd publishes for " + file + " (its release's"
                    + " SHA256SUMS), or download it yourself and set etcd.archive to the file");
        }
        return new Download(ETCD, version, arch, file,
                sites.etcd().resolve("v" + version + "/" + file), sha, "etcd.archive");
    }

    static Download flannel(String version, ReleaseSites sites) {
        return new Download(FLANNEL, version, "", "kube-flannel-" + version + ".yml",
                sites.flannel().resolve(version + "/kube-flannel.yml"), Checksums.sha256(FLANNEL, version, ""),
                "network.flannelManifest");
    }

    static Download kubePrometheus(String release, ReleaseSites sites) {
        return new Download(KUBE_PROMETHEUS, release, "", "kube-prometheus-" + release + ".tar.gz",
                sites.kubePrometheus().resolve(release + ".tar.gz"), Checksums.sha256(KUBE_PROMETHEUS, release, ""),
                "addons.kubePrometheusArchive");
    }

    private static String listed() {
        List<String> versions = Checksums.versions(ETCD);
        return versions.isEmpty() ? "none" : versions.getFirst() + " to " + versions.getLast();
    }
}
