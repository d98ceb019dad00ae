package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.RuntimeArchive;
import dev.kubeha.model.RuntimeArchives;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.SshSpec;
import dev.kubeha.model.SupportedReleases;
import dev.kubeha.model.Version;
import dev.kubeha.sources.Checksums;
import dev.kubeha.sources.Releases;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** SSH access, the image repository, the cluster name and the paths kubeha writes to. */
final class AccessRules implements Rule {
    private static final Pattern BASTION = Pattern.compile("(?:([a-z_][a-z0-9_-]*)@)?([A-Za-z0-9._-]+|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?");
    private static final Pattern IMAGE_REPOSITORY = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(:\\d+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*");
    private static final int MAX_VALIDITY_DAYS = 3650;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    @Override
    public void check(ClusterSpec spec, Problems out) {
        checkCluster(spec, out);
        checkSsh(spec.ssh(), out);
        for (int i = 0; i < spec.hosts().size(); i++) {
            HostSpec host = spec.hosts().get(i);
            String at = "hosts[" + i + "]";
            if (host.port() != null) {
                port(host.port(), at + ".port", out);
            }
            if (host.user() != null && !Names.isLinuxUser(host.user())) {
                out.error(at + ".user", "'" + host.user() + "' is not a valid user name");
            }
            if (host.identityFile() != null) {
                jumpHostPath(host.identityFile(), at + ".identityFile", out);
            }
        }
        if (!spec.stackedEtcd()) {
            checkEtcd(spec.etcd(), out);
        }
        if (!spec.network().flannelManifest().isEmpty()) {
            jumpHostPath(spec.network().flannelManifest(), "network.flannelManifest", out);
        }
        if (!spec.addons().kubePrometheusArchive().isEmpty()) {
            jumpHostPath(spec.addons().kubePrometheusArchive(), "addons.kubePrometheusArchive", out);
        }
        checkRuntimeArchives(spec, out);
    }

    /**
     * containerRuntimeArchives: a version kubeha can name files after, a jump-host path, a SHA-256, and a checksum for
     * every version kubeha's table does not list; a containerd the minor cannot run with is refused.
     */
    private static void checkRuntimeArchives(ClusterSpec spec, Problems out) {
        RuntimeArchives given = spec.containerRuntimeArchives();
        List<RuntimeArchive> each = List.of(given.containerd(), given.runc(), given.cniPlugins());
        List<String> keys = List.of("containerd", "runc", "cniPlugins");
        List<String> components = List.of(Releases.CONTAINERD, Releases.RUNC, Releases.CNI_PLUGINS);
        if (each.stream().anyMatch(RuntimeArchive::given) && (spec.containerRuntime() != ContainerRuntime.CONTAINERD
                || spec.containerRuntimeInstall() == RuntimeInstall.DISTRIBUTION)) {
            out.warning(RuntimeArchives.FIELD, "is not used: the nodes' runtime comes from the distribution"
                    + " (containerRuntime: " + spec.containerRuntime().yamlName() + ", containerRuntimeInstall: "
                    + spec.containerRuntimeInstall().yamlName() + ")");
        }
        for (int i = 0; i < each.size(); i++) {
            RuntimeArchive a = each.get(i);
            String at = RuntimeArchives.FIELD + "." + keys.get(i);
            Optional<Version> version = Version.parse(a.version());
            if (!a.version().isEmpty() && version.isEmpty()) {
                out.error(at + ".version", "'" + a.version() + "' is not a version such as 2.1.9");
            }
            if (!a.archive().isEmpty()) {
                jumpHostPath(a.archive(), at + ".archive", out);
            }
            if (!a.archiveSha256().isEmpty() && !SHA256.matcher(a.archiveSha256()).matches()) {
                out.error(at + ".archiveSha256", "must be the file's SHA-256 (64 lower-case hex digits); leave it"
                        + " empty to check against kubeha's checksum table");
            } else if (a.archiveSha256().isEmpty() && version.isPresent()
                    && !Checksums.lists(components.get(i), version.get().toString())) {
                out.error(at + ".archiveSha256", "is required: kubeha's checksum table has no "
                        + components.get(i) + " " + version.get() + ", so set the SHA-256 its publisher released"
                        + " for the file (or of the file you give in " + at + ".archive)");
            } else if ((!a.archive().isEmpty() || !a.archiveSha256().isEmpty()) && a.version().isEmpty()) {
                out.error(at + ".version", "is required with " + at + (a.archive().isEmpty() ? ".archiveSha256"
                        : ".archive") + ": the release the file holds, such as 2.1.9");
            }
        }
        Optional<KubernetesRelease> release = Version.parse(spec.cluster().kubernetesVersion())
                .flatMap(SupportedReleases::forVersion);
        Optional<Version> containerd = Version.parse(given.containerd().version());
        if (release.isPresent() && containerd.isPresent()) {
            KubernetesRelease r = release.get();
            String at = RuntimeArchives.FIELD + ".containerd.version";
            if (containerd.get().compareTo(r.oldestContainerd()) < 0) {
                out.error(at, "containerd " + containerd.get() + " cannot run Kubernetes " + r.minor()
                        + ", which needs at least " + r.oldestContainerd());
            } else if (!r.containerdRecommended(containerd.get())) {
                out.warning(at, "containerd " + containerd.get() + " is not what containerd recommends for Kubernetes "
                        + r.minor() + " (" + String.join(", ", r.containerd().stream().map(v -> v + "+").toList())
                        + ")");
            }
        }
    }

    private static void checkCluster(ClusterSpec spec, Problems out) {
        if (!Names.isLabel(spec.cluster().name())) {
            out.error("cluster.name", "'" + spec.cluster().name() + "' is not a valid name (lower-case letters,"
                    + " digits and '-', at most 63 characters)");
        }
        String images = spec.cluster().imageRepository();
        if (images.contains("://")) {
            out.error("cluster.imageRepository", "write the registry path without a scheme, such as registry.k8s.io");
        } else if (!IMAGE_REPOSITORY.matcher(images).matches()) {
            out.error("cluster.imageRepository", "'" + images + "' is not a registry path such as registry.k8s.io");
        }
    }

    private static void checkSsh(SshSpec ssh, Problems out) {
        if (!Names.isLinuxUser(ssh.user())) {
            out.error("ssh.user", "'" + ssh.user() + "' is not a valid user name");
        } else if (!ssh.user().equals("root") && !ssh.sudo()) {
            out.error("ssh.sudo", "user '" + ssh.user() + "' is not root; set sudo: true so kubeha can install");
        }
        port(ssh.port(), "ssh.port", out);
        if (!ssh.identityFile().isEmpty()) {
            jumpHostPath(ssh.identityFile(), "ssh.identityFile", out);
        }
        if (!ssh.bastion().isEmpty()) {
            var m = BASTION.matcher(ssh.bastion());
            if (!m.matches() || (m.group(3) != null && !validPort(Integer.parseInt(m.group(3))))) {
                out.error("ssh.bastion", "'" + ssh.bastion() + "' is not of the form user@host:port");
            }
        }
    }

    private static void checkEtcd(EtcdSpec etcd, Problems out) {
        if (etcd.install() == EtcdInstall.ARCHIVE) {
            if (etcd.archive().isEmpty()) {
                downloadable(etcd, out);
            } else {
                jumpHostPath(etcd.archive(), "etcd.archive", out);
            }
            if (!etcd.archiveSha256().isEmpty() && !SHA256.matcher(etcd.archiveSha256()).matches()) {
                out.error("etcd.archiveSha256", "must be the archive's SHA-256 (64 lower-case hex digits); leave it"
                        + " empty to check against kubeha's checksum table, or the SHA256SUMS file next to etcd.archive");
            } else if (etcd.archive().isEmpty()) {
                agreesWithTheTable(etcd, out);
            }
        }
        if (etcd.certificateValidityDays() < 1 || etcd.certificateValidityDays() > MAX_VALIDITY_DAYS) {
            out.error("etcd.certificateValidityDays", etcd.certificateValidityDays() + " is outside 1-"
                    + MAX_VALIDITY_DAYS);
        }
    }

    /** Without etcd.archive, apply downloads etcd: only a version with a known SHA-256 is fetched. */
    private static void downloadable(EtcdSpec etcd, Problems out) {
        Optional<Version> version = Version.parse(etcd.version());
        if (version.isEmpty() || !etcd.archiveSha256().isEmpty()
                || Checksums.lists(Releases.ETCD, version.get().toString())) {
            return;
        }
        List<String> listed = Checksums.versions(Releases.ETCD);
        out.error("etcd.version", etcd.version() + " has no SHA-256 in kubeha's checksum table, so apply cannot"
                + " download and verify it; choose a listed version (" + listed.getFirst() + " to " + listed.getLast()
                + "), or set etcd.archiveSha256 to the SHA-256 etcd publishes for it, or etcd.archive to a downloaded"
                + " etcd-v" + version.get() + "-linux-ARCH.tar.gz");
    }

    /**
     * A download of a version kubeha's table lists is checked against the table: an etcd.archiveSha256 that differs
     * names a tampered or rebuilt file under upstream's name, which only etcd.archive (a local file) may bring.
     */
    private static void agreesWithTheTable(EtcdSpec etcd, Problems out) {
        Optional<Version> version = Version.parse(etcd.version());
        if (etcd.archiveSha256().isEmpty() || version.isEmpty()
                || !Checksums.lists(Releases.ETCD, version.get().toString())
                || Checksums.lists(Releases.ETCD, version.get().toString(), etcd.archiveSha256())) {
            return;
        }
        out.error("etcd.archiveSha256", etcd.archiveSha256() + " is not the SHA-256 kubeha's checksum table lists for"
                + " etcd-v" + version.get() + "-linux-ARCH.tar.gz (etcd.version " + etcd.version() + "), the file"
                + " apply downloads: a file of that name with another checksum is tampered with or rebuilt. Leave"
                + " etcd.archiveSha256 empty to download etcd's own release, or set etcd.archive to your local file"
                + " (then etcd.archiveSha256 is its checksum)");
    }

    private static void port(int port, String path, Problems out) {
        if (!validPort(port)) {
            out.error(path, port + " is not a TCP port (1-65535)");
        }
    }

    private static boolean validPort(int port) {
        return port >= 1 && port <= 65535;
    }

    /** A path on the jump host: absolute, or relative to the home directory. */
    private static void jumpHostPath(String path, String field, Problems out) {
        if (!path.startsWith("/") && !path.startsWith("~/")) {
            out.error(field, "'" + path + "' must be an absolute path or start with ~/");
        }
    }
}
