package dev.kubeha.sources;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.Role;
import dev.kubeha.model.SupportedReleases;
import dev.kubeha.model.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The release files a cluster needs, with their URLs and checksums: what apply downloads and plan lists. */
public final class Releases {
    public static final String ETCD = "etcd";
    public static final String FLANNEL = "flannel";
    public static final String KUBE_PROMETHEUS = "kube-prometheus";
    private static final List<String> ETCD_ARCHES = List.of("amd64", "arm64");

    private Releases() {
    }

    /**
     * What apply downloads for this spec: etcd for each architecture its members run (unless etcd.archive names a
     * local copy), flannel's manifest and kube-prometheus (unless a local file is named).
     *
     * @param archOf each host's architecture by host name, as its facts report it
     */
    public static List<Download> needed(ClusterSpec spec, Map<String, String> archOf, ReleaseSites sites) {
        TreeSet<String> arches = new TreeSet<>();
        spec.hostsWith(Role.ETCD).forEach(h -> arches.add(archOf.getOrDefault(h.name(), "")));
        return forArchitectures(spec, List.copyOf(arches), sites);
    }

    /** etcd for each of these architectures (unless etcd.archive names a local copy), and the add-ons. */
    public static List<Download> forArchitectures(ClusterSpec spec, List<String> arches, ReleaseSites sites) {
        List<Download> out = new ArrayList<>();
        EtcdSpec etcd = spec.etcd();
        if (!spec.stackedEtcd() && etcd.install() == EtcdInstall.ARCHIVE && etcd.archive().isEmpty()) {
            for (String arch : new TreeSet<>(arches)) {
                out.add(etcd(etcd, arch, arches.size(), sites));
            }
        }
        out.addAll(addons(spec, sites));
        return List.copyOf(out);
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
