package dev.kubeha.plan;

/**
 * What the etcd membership workflow is built from: the install's plan input of the answers (their spec, facts and
 * rendered files) and the live membership against them.
 */
public record EtcdMembersInput(PlanInput install, EtcdMembership membership) {
}
