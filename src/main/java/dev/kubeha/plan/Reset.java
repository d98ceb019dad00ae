package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Workflow.phase;

import dev.kubeha.model.ClusterSpec;
import java.util.List;

/**
 * The reset workflow, in order: takes a cluster apart so that a new apply on the same hosts succeeds (kubeadm reset,
 * what it leaves behind, etcd's data, the load balancer, kubeha's /etc/hosts block); etcd and the load balancer go
 * once no node runs Kubernetes, the /etc/hosts block last.
 */
public final class Reset {
    public static final String KUBERNETES = "reset-kubernetes";
    public static final String ETCD = "reset-etcd";
    public static final String LOAD_BALANCER = "reset-load-balancer";
    public static final String HOSTS = "reset-hosts";

    public static final Workflow<ClusterSpec> WORKFLOW = new Workflow<>("reset", List.of(
            phase(KUBERNETES, ResetPhases::kubernetes),
            phase(ETCD, ResetPhases::etcd, everywhere(KUBERNETES)),
            phase(LOAD_BALANCER, ResetPhases::loadBalancer, everywhere(KUBERNETES)),
            phase(HOSTS, ResetPhases::hosts, everywhere(KUBERNETES), everywhere(ETCD), everywhere(LOAD_BALANCER))));

    private Reset() {
    }
}
