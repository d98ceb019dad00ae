package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Workflow.phase;
import static dev.kubeha.plan.Workflow.rolling;

import java.util.List;

/**
 * The Kubernetes upgrade workflow, in kubeadm's documented order: the cluster checked, etcd backed up, the package
 * repository switched, kubeadm upgrade apply on the first control plane and upgrade node on the others, then node by
 * node (control planes one at a time, workers in batches) drained, kubelet and kubectl upgraded, restarted,
 * uncordoned; the add-ons re-applied and the cluster verified at the new version.
 */
public final class Upgrade {
    public static final String ETCD_HEALTH = "etcd-health";
    public static final String PREFLIGHT = "upgrade-preflight";
    public static final String BACKUP = "etcd-backup";
    public static final String LOAD_BALANCER = Install.LOAD_BALANCER;
    public static final String REPOSITORY = "repository";
    public static final String APPLY = "upgrade-apply";
    public static final String CONTROL_PLANES = "upgrade-control-planes";
    public static final String KUBELETS = "kubelets";
    public static final String NETWORK = Install.NETWORK;
    public static final String KUBE_PROMETHEUS = Install.KUBE_PROMETHEUS;
    public static final String VERIFY = "upgrade-verify";

    public static final Workflow<UpgradeInput> WORKFLOW = new Workflow<>("upgrade", List.of(
            phase(ETCD_HEALTH, (name, in) -> EtcdGate.healthy(name, in.target().spec())),
            phase(PREFLIGHT, UpgradePhases::preflight, everywhere(ETCD_HEALTH)),
            phase(BACKUP, UpgradePhases::backup, everywhere(PREFLIGHT)),
            phase(LOAD_BALANCER, UpgradePhases::loadBalancer, everywhere(BACKUP)),
            phase(REPOSITORY, UpgradePhases::repository, everywhere(LOAD_BALANCER)),
            rolling(APPLY, UpgradePhases::apply, everywhere(REPOSITORY)),
            rolling(CONTROL_PLANES, UpgradePhases::controlPlanes, everywhere(APPLY)),
            rolling(KUBELETS, UpgradePhases::kubelets, everywhere(CONTROL_PLANES)),
            phase(NETWORK, (name, in) -> InstallNetwork.build(name, in.target()), everywhere(KUBELETS)),
            phase(KUBE_PROMETHEUS, (name, in) -> InstallKubePrometheus.build(name, in.target()), everywhere(NETWORK)),
            phase(VERIFY, UpgradePhases::verify, everywhere(KUBE_PROMETHEUS))));

    private Upgrade() {
    }
}
