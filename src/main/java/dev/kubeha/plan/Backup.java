package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Workflow.phase;

import dev.kubeha.model.ClusterSpec;
import java.util.List;

/** The backup workflow, in order: every etcd member healthy, then a snapshot on the first member for the jump host. */
public final class Backup {
    public static final String HEALTH = "etcd-health";
    public static final String SNAPSHOT = "snapshot";

    public static final Workflow<ClusterSpec> WORKFLOW = new Workflow<>("backup", List.of(
            phase(HEALTH, EtcdGate::healthy),
            phase(SNAPSHOT, EtcdGate::snapshot, everywhere(HEALTH))));

    private Backup() {
    }
}
