package dev.kubeha.plan;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.KubeadmConfig;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The three join phases: renewing the join credentials, control planes one at a time, then workers in parallel. */
final class JoinNodes {
    private JoinNodes() {
    }

    static List<HostSpec> otherControlPlanes(PlanInput in) {
        HostSpec first = Topology.firstControlPlane(in.spec());
        return in.spec().hostsWith(Role.CONTROL_PLANE).stream().filter(h -> !h.equals(first)).toList();
    }

    static List<HostSpec> workers(PlanInput in) {
        return in.spec().hosts().stream().filter(h -> h.has(Role.WORKER) && !h.has(Role.CONTROL_PLANE)).toList();
    }

    /**
     * The token and the uploaded certificates last 2 hours; they are renewed on every run before any join, so a
     * resumed install (or one that waited at a failure prompt) never joins with expired ones.
     */
    static Optional<Phase> renewCredentials(String name, PlanInput in) {
        boolean controlPlanes = !otherControlPlanes(in).isEmpty();
        if (!controlPlanes && workers(in).isEmpty()) {
            return Optional.empty();
        }
        String config = " --config " + KubeadmConfig.INIT;
        String command = "kubeadm token create" + config + " >/dev/null"
                + (controlPlanes ? " && kubeadm init phase upload-certs --upload-certs" + config + " >/dev/null"
                : "");
        HostSpec first = Topology.firstControlPlane(in.spec());
        Step renew = Step.of("k8s.join-credentials", controlPlanes
                        ? "Renew the join token and re-upload the control-plane certificates (2 h lifetime)"
                        : "Renew the join token (2 h lifetime)", first.name(),
                List.of(RunCommand.always(command))).onEveryRun();
        return Optional.of(Phase.serial(name, "Join credentials", List.of(renew)));
    }

    /** Control planes join one at a time through the VIP (kubeadm's etcd and certificate handling is serial). */
    static Optional<Phase> joinControlPlanes(String name, PlanInput in) {
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : otherControlPlanes(in)) {
            steps.add(join(in, host).verifiedBy(Verification.within(Kube.API_START, Kube.API_HEALTHY)));
            steps.add(Kube.rootKubeconfig(host.name()));
        }
        return steps.isEmpty() ? Optional.empty() : Optional.of(Phase.serial(name,
                "Join the other control planes through " + Topology.controlPlaneEndpoint(in.spec()), steps));
    }

    /** Workers join in parallel. */
    static Optional<Phase> joinWorkers(String name, PlanInput in) {
        List<Step> steps = workers(in).stream().map(host -> join(in, host).verifiedBy(Verification.within(
                Duration.ofSeconds(60), "test -f " + Kube.KUBELET_CONF + " && systemctl is-active --quiet kubelet")))
                .toList();
        return steps.isEmpty() ? Optional.empty() : Optional.of(Phase.parallel(name,
                "Join the workers through " + Topology.controlPlaneEndpoint(in.spec()), steps));
    }

    /** Two attempts: a VIP that moves during discovery drops the connection kubeadm is using. */
    private static Step join(PlanInput in, HostSpec host) {
        String config = " --config " + KubeadmConfig.JOIN;
        return Step.of("k8s.join", "kubeadm join " + (host.has(Role.CONTROL_PLANE) ? "--control-plane " : "")
                + "through " + Topology.controlPlaneEndpoint(in.spec()), host.name(), List.of(
                in.write(host, KubeadmConfig.JOIN),
                RunCommand.unless("test -f " + Kube.KUBELET_CONF,
                        "kubeadm config validate" + config + " && kubeadm join" + config)))
                .withAttempts(2).withTimeout(Duration.ofMinutes(10));
    }
}
