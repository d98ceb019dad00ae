package dev.kubeha.render;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.facts.RuntimeSource;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The container runtime's configuration on every Kubernetes node: containerd, or Docker Engine with cri-dockerd. */
public final class ContainerRuntimeConfig {
    public static final String CONTAINERD = "/etc/containerd/config.toml";
    public static final String DOCKER = "/etc/docker/daemon.json";
    /** containerd's systemd unit, kubeha's copy of upstream's containerd.service, for the release archive's binary. */
    public static final String CONTAINERD_UNIT = "/etc/systemd/system/containerd.service";
    public static final String CRI_DOCKERD_SERVICE = "/etc/systemd/system/cri-docker.service";
    public static final String CRI_DOCKERD_SOCKET = "/etc/systemd/system/cri-docker.socket";
    /** Where the release archives' binaries go: containerd's and cri-dockerd's in bin, runc in sbin. */
    public static final String ARCHIVE_BIN = "/usr/local/bin";
    public static final String RUNC_BINARY = "/usr/local/sbin/runc";
    /** Where the kubelet and containerd look for CNI plugins, and kubernetes-cni installs them. */
    public static final String CNI_BIN = "/opt/cni/bin";
    static final String CRI_DOCKERD_BINARY = ARCHIVE_BIN + "/cri-dockerd";
    /** Docker's repository, the source of containerd.io and docker-ce on the RHEL family (the OS ships neither). */
    public static final String DOCKER_YUM_REPO = "/etc/yum.repos.d/docker-ce.repo";

    private ContainerRuntimeConfig() {
    }

    /** The pause image kubeadm expects for this Kubernetes minor, from imageRepository. */
    public static String sandboxImage(ClusterSpec spec) {
        return spec.cluster().imageRepository() + "/pause:" + Topology.release(spec).pauseVersion();
    }

    /**
     * The containerd a node runs once the runtime phase is done: the release archive's version where kubeha installs
     * it from there, else the installed one; empty when the distribution's package is yet to be installed.
     */
    public static Optional<Version> containerd(ClusterSpec spec, HostFacts facts) {
        if (RuntimeSource.containerdFromArchive(spec, facts)) {
            return Optional.of(spec.containerRuntimeArchives().containerdVersion(Topology.release(spec)));
        }
        return facts.containerdVersion().flatMap(Version::parse);
    }

    /**
     * containerd's config schema: 3 for containerd 2.x, 2 for 1.x; 2 when the distribution's package is yet to be
     * installed, since it may be 1.7 and containerd 2.x migrates a version 2 file on load.
     */
    public static int containerdSchema(ClusterSpec spec, HostFacts facts) {
        return containerd(spec, facts).map(v -> v.major() >= 2 ? 3 : 2).orElse(2);
    }

    public static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts) {
        List<RenderedFile> out = new ArrayList<>();
        String image = Topology.word(sandboxImage(spec), "cluster.imageRepository");
        for (HostSpec host : spec.hosts()) {
            if (!Topology.isKubernetesNode(host)) {
                continue;
            }
            HostFacts f = Topology.facts(facts, host);
            if (spec.containerRuntime() == ContainerRuntime.CONTAINERD) {
                String version = containerd(spec, f).map(Version::toString).orElse("");
                out.add(RenderedFile.text(host.name(), CONTAINERD, 0644, containerdSchema(spec, f) == 3
                        ? containerd2(image, version) : containerd1(image, version)));
                if (RuntimeSource.containerdFromArchive(spec, f)) {
                    out.add(RenderedFile.text(host.name(), CONTAINERD_UNIT, 0644, containerdUnit(version)));
                }
            } else {
                out.add(RenderedFile.text(host.name(), DOCKER, 0644, dockerDaemon()));
                out.add(RenderedFile.text(host.name(), CRI_DOCKERD_SERVICE, 0644, criDockerdService(spec, image)));
                out.add(RenderedFile.text(host.name(), CRI_DOCKERD_SOCKET, 0644, criDockerdSocket(spec)));
            }
            if (f.osFamily() == OsFamily.RHEL && !RuntimeSource.containerdFromArchive(spec, f)) {
                out.add(RenderedFile.text(host.name(), DOCKER_YUM_REPO, 0644, dockerRepository(f)));
            }
        }
        return out;
    }

    private static String containerd2(String image, String version) {
        return containerd(version, 3, "plugins.'io.containerd.cri.v1.images'.pinned_images", "sandbox",
                "plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc", "'", image);
    }

    private static String containerd1(String image, String version) {
        return containerd(version, 2, "plugins.\"io.containerd.grpc.v1.cri\"", "sandbox_image",
                "plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc", "\"", image);
    }

    private static String containerd(String version, int schema, String imageTable, String imageKey, String runc,
                                     String quote, String image) {
        return "# Rendered by kubeha for containerd " + (version.isEmpty() ? schema == 3 ? "2.x" : "1.x" : version)
                + " (config version " + schema + ").\n"
                + "version = " + schema + "\n\n"
                + "[" + imageTable + "]\n"
                + "  " + imageKey + " = " + quote + image + quote + "\n\n"
                + "[" + runc + "]\n"
                + "  runtime_type = " + quote + "io.containerd.runc.v2" + quote + "\n\n"
                + "[" + runc + ".options]\n"
                + "  SystemdCgroup = true\n";
    }

    private static String dockerDaemon() {
        return "{\n"
                + "  \"exec-opts\": [\"native.cgroupdriver=systemd\"],\n"
                + "  \"log-driver\": \"json-file\",\n"
                + "  \"log-opts\": {\n"
                + "    \"max-size\": \"100m\"\n"
                + "  },\n"
                + "  \"storage-driver\": \"overlay2\"\n"
                + "}\n";
    }

    /**
     * containerd's upstream unit (containerd/containerd containerd.service at 301026e5, unchanged since v2.0) for
     * the release archive's binary in /usr/local/bin; its comments left out.
     */
    private static String containerdUnit(String version) {
        return "# Rendered by kubeha for containerd " + version + " from containerd's release archive;"
                + " containerd's own containerd.service.\n"
                + "[Unit]\n"
                + "Description=containerd container runtime\n"
                + "Documentation=https://containerd.io\n"
                + "After=network.target dbus.service\n"
                + "\n"
                + "[Service]\n"
                + "ExecStartPre=-/sbin/modprobe overlay\n"
                + "ExecStart=" + ARCHIVE_BIN + "/containerd\n"
                + "\n"
                + "Type=notify\n"
                + "Delegate=yes\n"
                + "KillMode=process\n"
                + "Restart=always\n"
                + "RestartSec=5\n"
                + "LimitNPROC=infinity\n"
                + "LimitCORE=infinity\n"
                + "TasksMax=infinity\n"
                + "OOMScoreAdjust=-999\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /**
     * cri-dockerd's upstream cri-docker.service (Mirantis/cri-dockerd packaging/systemd, the same from v0.3.25 to
     * 246bd657) for the release archive's binary, with the pause image kubeadm expects; its comments left out.
     */
    private static String criDockerdService(ClusterSpec spec, String image) {
        return "# Rendered by kubeha for cri-dockerd " + Topology.release(spec).criDockerd()
                + " from its release archive; cri-dockerd's own cri-docker.service.\n"
                + "[Unit]\n"
                + "Description=CRI Interface for Docker Application Container Engine\n"
                + "Documentation=https://docs.mirantis.com\n"
                + "After=network-online.target firewalld.service docker.service\n"
                + "Wants=network-online.target\n"
                + "Requires=cri-docker.socket\n"
                + "\n"
                + "[Service]\n"
                + "Type=notify\n"
                + "ExecStart=" + CRI_DOCKERD_BINARY + " --container-runtime-endpoint fd:// "
                + SystemdUnits.argument("--pod-infra-container-image=" + image) + "\n"
                + "ExecReload=/bin/kill -s HUP $MAINPID\n"
                + "TimeoutSec=0\n"
                + "RestartSec=2\n"
                + "Restart=always\n"
                + "StartLimitBurst=3\n"
                + "StartLimitInterval=60s\n"
                + "LimitNOFILE=infinity\n"
                + "LimitNPROC=infinity\n"
                + "LimitCORE=infinity\n"
                + "TasksMax=infinity\n"
                + "Delegate=yes\n"
                + "KillMode=process\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /** cri-dockerd's upstream cri-docker.socket: /run/cri-dockerd.sock for root and the docker group. */
    private static String criDockerdSocket(ClusterSpec spec) {
        return "# Rendered by kubeha for cri-dockerd " + Topology.release(spec).criDockerd()
                + "; cri-dockerd's own cri-docker.socket.\n"
                + "[Unit]\n"
                + "Description=CRI Docker Socket for the API\n"
                + "PartOf=cri-docker.service\n"
                + "\n"
                + "[Socket]\n"
                + "ListenStream=%t/cri-dockerd.sock\n"
                + "SocketMode=0660\n"
                + "SocketUser=root\n"
                + "SocketGroup=docker\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=sockets.target\n";
    }

    private static String dockerRepository(HostFacts f) {
        String distro = "centos".equals(f.osId()) ? "centos" : "rhel";
        String base = "https://download.docker.com/linux/" + distro;
        return "# Rendered by kubeha: Docker's repository, for containerd.io (and docker-ce).\n"
                + "[docker-ce-stable]\nname=Docker CE Stable\n"
                + "baseurl=" + base + "/$releasever/$basearch/stable\n"
                + "enabled=1\ngpgcheck=1\ngpgkey=" + base + "/gpg\n";
    }
}
