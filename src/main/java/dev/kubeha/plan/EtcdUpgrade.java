package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Workflow.phase;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Version;
import dev.kubeha.render.EtcdUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

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
    /** The install's step after which a member's etcd runs: journaled on a member, its version can be asked. */
    public static final String MEMBER_STARTED_STEP = StartEtcd.STEP;

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

    /** etcdctl, run on a member, printing each of the answers' members' endpoint status, one line per answering one. */
    public static String endpointStatus(ClusterSpec spec) {
        return EtcdCtl.command(spec, String.join(",", EtcdUnit.clientUrls(spec))) + " endpoint status";
    }

    /**
     * The answers' members that report a version other than etcd.version in {@code endpointStatus} (etcdctl's simple
     * format: endpoint, ID, version, ...), by name, with the version each runs; members not listed are left out.
     */
    public static Map<String, String> outdated(ClusterSpec spec, String endpointStatus) {
        Optional<Version> target = Version.parse(spec.etcd().version());
        Map<String, String> outdated = new LinkedHashMap<>(running(spec, endpointStatus));
        outdated.values().removeIf(v -> Version.parse(v).equals(target));
        return outdated;
    }

    /** The version every answering member of the answers reports in {@code endpointStatus}, by name, in order. */
    public static Map<String, String> running(ClusterSpec spec, String endpointStatus) {
        Map<String, String> reported = new LinkedHashMap<>();
        for (String line : endpointStatus.split("\n")) {
            String[] fields = line.strip().split(", ", -1);
            if (fields.length > 2) {
                reported.put(fields[0], fields[2]);
            }
        }
        Map<String, String> running = new LinkedHashMap<>();
        for (HostSpec member : EtcdCtl.members(spec)) {
            String version = reported.get(EtcdUnit.clientUrl(member));
            if (version != null) {
                running.put(member.name(), Version.parse(version).map(Version::toString)
                        .orElse("an unreadable version"));
            }
        }
        return running;
    }

    /** True when the plan's snapshot step is done ({@code journaled}), so there is a snapshot to copy. */
    public static boolean snapshotTaken(Plan plan, Predicate<Step> journaled) {
        return plan.phases().stream().filter(p -> p.name().equals(BACKUP)).flatMap(p -> p.steps().stream())
                .anyMatch(journaled);
    }

    /** Where the snapshot taken before the upgrade stays, on the first member. */
    public static String backupFile(ClusterSpec spec) {
        return EtcdUpgradePhases.backupFile(spec);
    }
}
