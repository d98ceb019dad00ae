package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.Version;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.render.KubeadmConfig;
import dev.kubeha.render.Topology;
import dev.kubeha.model.HostSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** kubeadm init on the first control plane, with kubeha's cluster CA, the external etcd and --upload-certs. */
final class InitControlPlane {

    private InitControlPlane() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        HostSpec first = Topology.firstControlPlane(in.spec());
        String h = first.name();
        String config = " --config " + KubeadmConfig.INIT;
        Step init = Step.of("k8s.init", "kubeadm init (the first control plane)", h, List.of(
                in.write(first, ClusterCa.CERT_PATH), in.write(first, ClusterCa.KEY_PATH),
                in.write(first, KubeadmConfig.INIT),
                RunCommand.unless("test -f " + Kube.ADMIN_CONF, "kubeadm config validate" + config
                        + " && kubeadm init" + config + " --upload-certs" + ignoredPreflightErrors(in.spec()))))
                .verifiedBy(Verification.within(Kube.API_START, Kube.API_HEALTHY))
                .withTimeout(Duration.ofMinutes(10));
        return Optional.of(Phase.serial(name, "Initialise the first control plane " + h,
                List.of(init, Kube.rootKubeconfig(h))));
    }

    /**
     * kubeadm refuses an external etcd older than its minimum (ExternalEtcdVersion); distribution packages often are,
     * and validation has already warned about it, so that one check is skipped rather than failing the install.
     */
    static String ignoredPreflightErrors(ClusterSpec spec) {
        if (spec.stackedEtcd()) {
            return "";
        }
        KubernetesRelease release = Topology.release(spec);
        return Version.parse(spec.etcd().version()).filter(v -> v.compareTo(release.minExternalEtcd()) < 0)
                .map(v -> " --ignore-preflight-errors=ExternalEtcdVersion").orElse("");
    }
}
