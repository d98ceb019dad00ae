package dev.kubeha.render;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The container runtime's configuration on every Kubernetes node: containerd, or Docker Engine with cri-dockerd. */
public final class ContainerRuntimeConfig {
    public static final String CONTAINERD = "/etc/containerd/config.toml";
    public static final String DOCKER = "/etc/docker/daemon.json";
    public static final String CRI_DOCKERD_DROP_IN = "/etc/systemd/system/cri-docker.service.d/10-kubeha.conf";
    static final String CRI_DOCKERD_BINARY = "/usr/bin/cri-dockerd";
    /** Docker's repository, the source of containerd.io and docker-ce on the RHEL family (the OS ships neither). */
    public static final String DOCKER_YUM_REPO = "/etc/yum.repos.d/docker-ce.repo";

    private ContainerRuntimeConfig() {
    }

    /** The pause image kubeadm expects for this Kubernetes minor, from imageRepository. */
    public static String sandboxImage(ClusterSpec spec) {
        return spec.cluster().imageRepository() + "/pause:" + Topology.release(spec).pauseVersion();
    }

    /**
     * containerd's config schema: 3 for containerd 2.x, 2 for 1.x; 2 when containerd is not installed yet, since
     * the distribution's package may be 1.7 and containerd 2.x migrates a version 2 file on load.
     */
    public static int containerdSchema(HostFacts facts) {
        return facts.containerdVersion().flatMap(Version::parse).map(v -> v.major() >= 2 ? 3 : 2).orElse(2);
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
                out.add(RenderedFile.text(host.name(), CONTAINERD, 0644,
                        containerdSchema(f) == 3 ? containerd2(image, f) : containerd1(image, f)));
            } else {
                out.add(RenderedFile.text(host.name(), DOCKER, 0644, dockerDaemon()));
                out.add(RenderedFile.text(host.name(), CRI_DOCKERD_DROP_IN, 0644, criDockerd(image)));
            }
            if (f.osFamily() == OsFamily.RHEL) {
                out.add(RenderedFile.text(host.name(), DOCKER_YUM_REPO, 0644, dockerRepository(f)));
            }
        }
        return out;
    }

    private static String containerd2(String image, HostFacts f) {
        return containerd(f, 3, "plugins.'io.containerd.cri.v1.images'.pinned_images", "sandbox",
                "plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc", "'", image);
    }

    private static String containerd1(String image, HostFacts f) {
        return containerd(f, 2, "plugins.\"io.containerd.grpc.v1.cri\"", "sandbox_image",
                "plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc", "\"", image);
    }

    private static String containerd(HostFacts f, int schema, String imageTable, String imageKey, String runc,
                                     String quote, String image) {
        return "# Rendered by kubeha for containerd "
                + Topology.word(f.containerdVersion().orElse(schema == 3 ? "2.x" : "1.x"), "containerdVersion")
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

    private static String criDockerd(String image) {
        return "# Rendered by kubeha: cri-dockerd must use the pause image kubeadm expects.\n"
                + "[Service]\n"
                + "ExecStart=\n"
                + "ExecStart=" + CRI_DOCKERD_BINARY + " --container-runtime-endpoint fd:// "
                + SystemdUnits.argument("--pod-infra-container-image=" + image) + "\n";
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
