package dev.kubeha.plan;

import dev.kubeha.model.Cni;
import dev.kubeha.model.HostSpec;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** flannel with net-conf.json's Network set to the pod subnet; every node Ready and kube-system running. */
final class InstallNetwork {

    private InstallNetwork() {
    }

    /** flannel applied, then every node Ready: the upgrade's network phase. */
    static Optional<Phase> build(String name, PlanInput in) {
        return flannel(in).map(flannel -> Phase.serial(name, "Pod network: flannel", List.of(flannel, ready(in))));
    }

    /**
     * flannel applied alone, right after init as kubeadm's order has it (a Pod network before the joins), so the nodes
     * that join find it at once.
     */
    static Optional<Phase> apply(String name, PlanInput in) {
        return flannel(in).map(flannel -> Phase.serial(name, "Pod network: flannel", List.of(flannel)));
    }

    /** Every node Ready and kube-system running, once the pod network is applied and every node has joined. */
    static Optional<Phase> nodesReady(String name, PlanInput in) {
        return flannel(in).map(flannel -> Phase.serial(name, "Every node Ready", List.of(ready(in))));
    }

    private static Optional<Step> flannel(PlanInput in) {
        if (in.spec().network().cni() != Cni.FLANNEL) {
            return Optional.empty();
        }
        HostSpec first = Topology.firstControlPlane(in.spec());
        List<Operation> apply = new ArrayList<>();
        in.file(first, AddonFiles.FLANNEL_PATH).map(WriteFile::new).ifPresent(apply::add);
        apply.add(RunCommand.afterChange(Kube.KUBECTL + " apply -f " + AddonFiles.FLANNEL_PATH));
        return Optional.of(Step.of("k8s.flannel", "Apply flannel " + Topology.release(in.spec()).flannel()
                + " (Network " + in.spec().network().podSubnet() + ")", first.name(), apply));
    }

    private static Step ready(PlanInput in) {
        return Step.of("k8s.ready", "Wait until every node is Ready and kube-system pods run",
                Topology.firstControlPlane(in.spec()).name(), List.of()).verifiedBy(Verification.within(
                Duration.ofMinutes(5), Kube.clusterReady(in.kubernetesNodes().size())))
                .withTimeout(Duration.ofMinutes(6));
    }
}
