package dev.kubeha.plan;

import dev.kubeha.model.UpgradePath;
import java.time.Duration;
import java.util.Optional;

/**
 * What the upgrade workflow is built from.
 *
 * @param target the plan input of the cluster at the target version (its spec has the target kubernetesVersion)
 * @param path the checked upgrade path
 * @param maxUnavailable how many workers are drained and upgraded together
 * @param drainTimeout how long one kubectl drain may take before it fails loudly
 * @param backup what the snapshot before the upgrade is taken with, as {@code kubeha backup} takes its own; empty
 *               only for stacked etcd, which kubeadm backs up itself
 */
public record UpgradeInput(PlanInput target, UpgradePath path, int maxUnavailable, Duration drainTimeout,
                           Optional<BackupInput> backup) {
    public static final Duration DEFAULT_DRAIN_TIMEOUT = MembershipOptions.DEFAULT_DRAIN_TIMEOUT;

    public UpgradeInput {
        if (maxUnavailable < 1) {
            throw new IllegalArgumentException("at least one node is upgraded at a time, not " + maxUnavailable);
        }
        if (!target.spec().cluster().kubernetesVersion().equals(path.to().toString())) {
            throw new IllegalArgumentException("the plan input is for " + target.spec().cluster().kubernetesVersion()
                    + ", not the target " + path.to());
        }
        if (backup.isEmpty() != target.spec().stackedEtcd()) {
            throw new IllegalArgumentException("external etcd, and only external etcd, is backed up with kubeha's"
                    + " etcdctl client pair before the upgrade");
        }
    }

    /** The target version as kubeadm and kubectl write it: v1.37.1. */
    public String tag() {
        return "v" + path.to();
    }

    /** The snapshot taken before anything changes, on the first etcd member's disk. */
    public String backupFile() {
        return backupFile(path);
    }

    public static String backupFile(UpgradePath path) {
        return EtcdCtl.BACKUP_DIR + "/pre-upgrade-" + path.from() + "-to-" + path.to() + ".db";
    }
}
