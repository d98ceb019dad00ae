package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Workflow.phase;

import java.util.List;

/** The backup workflow, in order: every etcd member healthy, then a snapshot on the first member for the jump host. */
public final class Backup {
    public static final String HEALTH = "etcd-health";
    public static final String SNAPSHOT = "snapshot";

    public static final Workflow<BackupInput> WORKFLOW = new Workflow<>("backup", List.of(
            phase(HEALTH, (name, in) -> EtcdGate.healthy(name, in.spec())),
            phase(SNAPSHOT, EtcdGate::snapshot, everywhere(HEALTH))));

    private Backup() {
    }
}
