package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Workflow.phase;

import java.util.List;

/**
 * The drill workflow, in order: the health gate (nothing is stopped on an unhealthy cluster), then each chosen drill;
 * every drill puts back what it stopped on its host itself (a shell trap), also when the connection drops.
 */
public final class Drill {
    public static final String HEALTH = "health";
    public static final String VIP = "vip";
    public static final String ETCD = "etcd";
    public static final String CONTROL_PLANE = "control-plane";
    /** Every result line a drill prints starts with this, followed by NAME=SECONDS pairs. */
    public static final String RESULT = "kubeha-drill ";

    public static final Workflow<DrillInput> WORKFLOW = new Workflow<>("drill", List.of(
            phase(HEALTH, DrillPhases::health),
            phase(VIP, DrillPhases::vip, everywhere(HEALTH)),
            phase(ETCD, DrillPhases::etcd, everywhere(HEALTH), everywhere(VIP)),
            phase(CONTROL_PLANE, DrillPhases::controlPlane, everywhere(HEALTH), everywhere(VIP), everywhere(ETCD))));

    private Drill() {
    }
}
