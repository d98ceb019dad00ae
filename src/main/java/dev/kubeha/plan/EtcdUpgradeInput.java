package dev.kubeha.plan;

/**
 * What the etcd upgrade workflow plans from: the cluster's plan input and what its snapshot before the upgrade is
 * taken with, as {@code kubeha backup} takes its own.
 */
public record EtcdUpgradeInput(PlanInput plan, BackupInput backup) {
}
