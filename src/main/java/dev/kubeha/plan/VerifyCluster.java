package dev.kubeha.plan;

import dev.kubeha.model.Cni;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The hand-over checks: the API through the control-plane endpoint, every node Ready, the etcd cluster healthy. */
final class VerifyCluster {

    private VerifyCluster() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        HostSpec first = Topology.firstControlPlane(in.spec());
        String check = clusterCheck(in);
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of(Install.VERIFIED_STEP, "Check /healthz through " + Topology.controlPlaneEndpoint(in.spec())
                + (in.spec().network().cni() != Cni.NONE ? " and that every node is Ready" : ""), first.name(),
                List.of()).verifiedBy(Verification.within(Duration.ofSeconds(60), check)).onEveryRun());
        if (!in.spec().stackedEtcd()) {
            HostSpec member = in.spec().hostsWith(Role.ETCD).get(0);
            steps.add(Step.of("verify.etcd", "Check that every etcd member is healthy", member.name(), List.of())
                    .verifiedBy(Verification.within(Duration.ofSeconds(30),
                            StartEtcd.health(in.spec(), EtcdUnit.clientUrl(member), true))).onEveryRun());
        }
        return Optional.of(Phase.parallel(name, "Verify the cluster", steps));
    }

    /** /healthz through the control-plane endpoint and, with a pod network, every node Ready. */
    static String clusterCheck(PlanInput in) {
        return Kube.API_HEALTHY + (in.spec().network().cni() != Cni.NONE
                ? " && " + Kube.clusterReady(in.kubernetesNodes().size()) : "");
    }
}
