package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Workflow.phase;

import dev.kubeha.model.ClusterSpec;
import java.util.List;
import java.util.Optional;

/**
 * The external etcd upgrade workflow, in order: every member healthy, every member within one minor of etcd.version
 * and not newer, a snapshot, then one member at a time: binary replaced, restarted, the cluster healthy with the member
 * on the new version before the next.
 */
public final class EtcdUpgrade {
    public static final String HEALTH = "etcd-health";
    public static final String VERSIONS = "etcd-versions";
    public static final String BACKUP = "etcd-backup";
    public static final String MEMBERS = "etcd-members";

    public static final Workflow<EtcdUpgradeInput> WORKFLOW = new Workflow<>("etcd upgrade", List.of(
            phase(HEALTH, (name, in) -> EtcdGate.healthy(name, in.plan().spec())),
            phase(VERSIONS, (name, in) -> EtcdUpgradePhases.versions(name, in.plan()), everywhere(HEALTH)),
            phase(BACKUP, EtcdUpgradePhases::backup, everywhere(VERSIONS)),
            phase(MEMBERS, (name, in) -> EtcdUpgradePhases.members(name, in.plan()), everywhere(BACKUP))));

    private EtcdUpgrade() {
    }

    /** Why this spec's etcd cannot be upgraded by kubeha (stacked, a distribution package), if so. */
    public static Optional<String> unsupported(ClusterSpec spec) {
        return EtcdUpgradePhases.unsupported(spec);
    }

    /** Where the snapshot taken before the upgrade stays, on the first member. */
    public static String backupFile(ClusterSpec spec) {
        return EtcdUpgradePhases.backupFile(spec);
    }
}
