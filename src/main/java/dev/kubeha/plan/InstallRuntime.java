package dev.kubeha.plan;

import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.HostSpec;
import dev.kubeha.render.ContainerRuntimeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The container runtime on every Kubernetes node: containerd, or Docker Engine with cri-dockerd, configured and up. */
final class InstallRuntime {
    static final String CONTAINERD_SOCKET = "/run/containerd/containerd.sock";

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

    /** The distribution's containerd on apt hosts; containerd.io from Docker's repository on the RHEL family. */
    private static List<Step> containerd(PlanInput in, HostSpec host, OsFamily family) {
        String h = host.name();
        return List.of(
                install(in, host, family, "containerd", "Install containerd",
                        List.of(family == OsFamily.RHEL ? "containerd.io" : "containerd")),
                Step.of("runtime.config", "Configure containerd (systemd cgroups, sandbox image) and start it", h,
                        List.of(in.write(host, ContainerRuntimeConfig.CONTAINERD),
                                RunCommand.afterChange("systemctl restart containerd"),
                                OsCommands.enableAndStart("containerd")))
                        .verifiedBy(Verification.within(Duration.ofSeconds(30),
                                "ctr --address " + CONTAINERD_SOCKET + " version >/dev/null")));
    }

    /** Docker Engine from the distribution (apt) or Docker's repository (dnf); cri-dockerd from its release package. */
    private static List<Step> docker(PlanInput in, HostSpec host, OsFamily family) {
        String h = host.name();
        return List.of(
                install(in, host, family, "dockerd", "Install Docker Engine", family == OsFamily.RHEL
                        ? List.of("docker-ce", "docker-ce-cli", "containerd.io") : List.of("docker.io")),
                Step.of("runtime.config", "Configure Docker (systemd cgroups) and start it", h,
                        List.of(in.write(host, ContainerRuntimeConfig.DOCKER),
                                RunCommand.afterChange("systemctl restart docker"),
                                OsCommands.enableAndStart("docker")))
                        .verifiedBy(Verification.within(Duration.ofSeconds(30), "docker info >/dev/null")),
                Step.of("runtime.cri-dockerd", "Point cri-dockerd at the sandbox image and start it", h, List.of(
                        RunCommand.unless("systemctl cat cri-docker.service >/dev/null 2>&1",
                                "echo 'cri-dockerd is not installed: no distribution ships it; install the"
                                        + " cri-dockerd package for this OS from"
                                        + " https://github.com/Mirantis/cri-dockerd/releases, then run kubeha apply"
                                        + " again' >&2; exit 1"),
                        in.write(host, ContainerRuntimeConfig.CRI_DOCKERD_DROP_IN),
                        RunCommand.afterChange("systemctl daemon-reload && systemctl restart cri-docker.service"),
                        OsCommands.enableAndStart("cri-docker.socket")))
                        .verifiedBy(Verification.within(Duration.ofSeconds(30), "test -S /run/cri-dockerd.sock")));
    }
}
