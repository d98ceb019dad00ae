package dev.kubeha.plan;

import dev.kubeha.facts.OsFamily;
import dev.kubeha.facts.RuntimeSource;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.HostSpec;
import dev.kubeha.render.ContainerRuntimeConfig;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The container runtime on every Kubernetes node: containerd (the distribution's package, or containerd's, runc's and
 * the CNI plugins' release files from the jump host), or Docker Engine with cri-dockerd's release, configured and up.
 */
final class InstallRuntime {
    static final String CONTAINERD_SOCKET = "/run/containerd/containerd.sock";
    private static final List<String> CONTAINERD_BINARIES = List.of("containerd", "containerd-shim-runc-v2", "ctr");
    /** Every plugin of the CNI plugins release (v1.9.1's archive; the older ones kubeha pins ship the same set). */
    static final List<String> CNI_PLUGINS = List.of("bandwidth", "bridge", "dhcp", "dummy", "firewall", "host-device",
            "host-local", "ipvlan", "loopback", "macvlan", "portmap", "ptp", "sbr", "static", "tap", "tuning", "vlan",
            "vrf");

    private InstallRuntime() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : in.kubernetesNodes()) {
            OsFamily family = in.factsOf(host).osFamily();
            if (in.spec().containerRuntime() == ContainerRuntime.CONTAINERD) {
                steps.addAll(containerd(in, host, family));
            } else {
                steps.addAll(docker(in, host, family));
            }
        }
        return Optional.of(Phase.parallel(name, "Container runtime: " + in.spec().containerRuntime().yamlName(),
                steps));
    }

    /** Installs the packages unless the runtime's binary is there; on the RHEL family from Docker's repository. */
    private static Step install(PlanInput in, HostSpec host, OsFamily family, String binary, String title,
                                List<String> packages) {
        List<Operation> install = new ArrayList<>();
        if (family == OsFamily.RHEL) {
            install.add(in.write(host, ContainerRuntimeConfig.DOCKER_YUM_REPO));
        }
        install.add(RunCommand.unless("command -v " + binary + " >/dev/null", OsCommands.install(family, packages)));
        return Step.of("runtime.package", title, host.name(), install).withAttempts(3)
                .withTimeout(Duration.ofMinutes(10));
    }

    /**
     * containerd from its release archive and runc from its release, both checked against kubeha's table on the jump
     * host and again on the host, with containerd's own unit; a running containerd is restarted onto them.
     */
    private static Step archive(PlanInput in, HostSpec host) {
        SourceFiles.CachedFile containerd = download(in, host, Releases.CONTAINERD);
        SourceFiles.CachedFile runc = download(in, host, Releases.RUNC);
        return Step.of("runtime.package", "Install containerd " + containerd.download().version() + " and runc "
                        + runc.download().version() + " from their releases (" + containerd.download().url() + ", "
                        + runc.download().url() + ")", host.name(), List.of(
                new InstallFromArchive(containerd.path().toString(), containerd.download().sha256().orElseThrow(),
                        CONTAINERD_BINARIES, ContainerRuntimeConfig.ARCHIVE_BIN),
                new PushFile(runc.path().toString(), ContainerRuntimeConfig.RUNC_BINARY,
                        runc.download().sha256().orElseThrow(), 0755),
                in.write(host, ContainerRuntimeConfig.CONTAINERD_UNIT),
                RunCommand.afterChange("systemctl daemon-reload && systemctl try-restart containerd")))
                .withTimeout(Duration.ofMinutes(10));
    }

    /**
     * The CNI plugins from their release into /opt/cni/bin, where the kubelet's kubernetes-cni package puts its own:
     * a plugin that package (or any other) owns is kept as the package manager installed it, so the archive only adds
     * the plugins no package installed and replaces its own earlier copies.
     */
    private static Step cniPlugins(PlanInput in, HostSpec host) {
        SourceFiles.CachedFile cni = download(in, host, Releases.CNI_PLUGINS);
        return Step.of("runtime.cni-plugins", "Install the CNI plugins " + cni.download().version() + " from their"
                + " release (" + cni.download().url() + ") into " + ContainerRuntimeConfig.CNI_BIN + " where no"
                + " package (such as kubernetes-cni) owns the plugin", host.name(), List.of(
                RunCommand.unless("test -d " + ContainerRuntimeConfig.CNI_BIN, "install -d -m 0755 "
                        + ContainerRuntimeConfig.CNI_BIN),
                new InstallFromArchive(cni.path().toString(), cni.download().sha256().orElseThrow(), CNI_PLUGINS,
                        ContainerRuntimeConfig.CNI_BIN, true)))
                .withTimeout(Duration.ofMinutes(10));
    }

    private static SourceFiles.CachedFile download(PlanInput in, HostSpec host, String component) {
        String arch = in.factsOf(host).arch();
        return in.sources().find(component, arch).orElseThrow(() ->
                new IllegalStateException("no " + component + " download for " + arch + " was given to the planner"));
    }

    /**
     * containerd from its release archive where {@link RuntimeSource} says so; else the distribution's on apt
     * hosts and containerd.io from Docker's repository on dnf hosts.
     */
    private static List<Step> containerd(PlanInput in, HostSpec host, OsFamily family) {
        String h = host.name();
        boolean fromArchive = RuntimeSource.containerdFromArchive(in.spec(), in.factsOf(host));
        List<Step> out = new ArrayList<>();
        if (fromArchive) {
            out.add(archive(in, host));
            out.add(cniPlugins(in, host));
        } else {
            out.add(install(in, host, family, "containerd", "Install containerd",
                    List.of(family == OsFamily.RHEL ? "containerd.io" : "containerd")));
        }
        out.add(Step.of("runtime.config", "Configure containerd (systemd cgroups, sandbox image) and start it", h,
                        List.of(in.write(host, ContainerRuntimeConfig.CONTAINERD),
                                RunCommand.afterChange("systemctl restart containerd"),
                                OsCommands.enableAndStart("containerd")))
                        .verifiedBy(Verification.within(Duration.ofSeconds(30),
                                "ctr --address " + CONTAINERD_SOCKET + " version >/dev/null")));
        return out;
    }

    /**
     * Docker Engine from the distribution (apt) or Docker's repository (dnf); cri-dockerd from its release archive
     * with its own units, checked against kubeha's table.
     */
    private static List<Step> docker(PlanInput in, HostSpec host, OsFamily family) {
        String h = host.name();
        SourceFiles.CachedFile criDockerd = download(in, host, Releases.CRI_DOCKERD);
        return List.of(
                install(in, host, family, "dockerd", "Install Docker Engine", family == OsFamily.RHEL
                        ? List.of("docker-ce", "docker-ce-cli", "containerd.io") : List.of("docker.io")),
                Step.of("runtime.config", "Configure Docker (systemd cgroups) and start it", h,
                        List.of(in.write(host, ContainerRuntimeConfig.DOCKER),
                                RunCommand.afterChange("systemctl restart docker"),
                                OsCommands.enableAndStart("docker")))
                        .verifiedBy(Verification.within(Duration.ofSeconds(30), "docker info >/dev/null")),
                Step.of("runtime.cri-dockerd", "Install cri-dockerd " + criDockerd.download().version()
                        + " from its release (" + criDockerd.download().url() + ") and start it", h, List.of(
                        new InstallFromArchive(criDockerd.path().toString(),
                                criDockerd.download().sha256().orElseThrow(), List.of("cri-dockerd"),
                                ContainerRuntimeConfig.ARCHIVE_BIN),
                        in.write(host, ContainerRuntimeConfig.CRI_DOCKERD_SERVICE),
                        in.write(host, ContainerRuntimeConfig.CRI_DOCKERD_SOCKET),
                        RunCommand.afterChange("systemctl daemon-reload && systemctl restart cri-docker.socket"
                                + " cri-docker.service"),
                        OsCommands.enableAndStart("cri-docker.socket")))
                        .verifiedBy(Verification.within(Duration.ofSeconds(30), "test -S /run/cri-dockerd.sock")));
    }
}
