package dev.kubeha.plan;

import dev.kubeha.model.Cni;
import dev.kubeha.model.HostSpec;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** flannel with net-conf.json's Network set to the pod subnet; then every node Ready and kube-system running. */
final class InstallNetwork {

    private InstallNetwork() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        if (in.spec().network().cni() != Cni.FLANNEL) {
            return Optional.empty();
        }
        HostSpec first = Topology.firstControlPlane(in.spec());
        List<Operation> apply = new ArrayList<>();
        in.file(first, AddonFiles.FLANNEL_PATH).map(WriteFile::new).ifPresent(apply::add);
        apply.add(RunCommand.afterChange(Kube.KUBECTL + " apply -f " + AddonFiles.FLANNEL_PATH));
        Step flannel = Step.of("k8s.flannel", "Apply flannel " + Topology.release(in.spec()).flannel() + " (Network "
                + in.spec().network().podSubnet() + ")", first.name(), apply);
        Step ready = Step.of("k8s.ready", "Wait until every node is Ready and kube-system pods run", first.name(),
                List.of()).verifiedBy(new Verification(Kube.clusterReady(in.kubernetesNodes().size()),
                Duration.ofMinutes(5), Duration.ofSeconds(3))).withTimeout(Duration.ofMinutes(6));
        return Optional.of(Phase.serial(name, "Pod network: flannel", List.of(flannel, ready)));
    }
}
