package dev.kubeha.plan;

import dev.kubeha.model.AppliedTopology;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A change of the external etcd members' version as plan, apply and the wizard's Review show it: which member runs
 * which version (asked with etcdctl endpoint status, or as the last apply recorded it), the snapshot taken first and
 * the order in which the members are upgraded, or why the change is refused.
 *
 * @param target  etcd.version, the version the members are brought to
 * @param running the version each known member runs, by name, in the answers' order
 * @param source  where {@code running} comes from, as the first line says it
 * @param order   every member of the answers, in the order upgrade-etcd takes them
 * @param backup  the snapshot's path on the first member
 */
public record EtcdVersionChange(String target, Map<String, String> running, String source, List<String> order,
                                String backup) {
    static final String SURVEYED = "etcdctl endpoint status";
    static final String RECORDED = "the last apply's record";

    public EtcdVersionChange {
        running = Map.copyOf(running);
        order = List.copyOf(order);
    }

    /** The change from the version the last apply recorded for its etcd members; empty when none is recorded. */
    public static Optional<EtcdVersionChange> recorded(Optional<AppliedTopology> applied, ClusterSpec spec) {
        if (applied.isEmpty() || applied.get().stackedEtcd() || applied.get().etcdVersion().isEmpty()) {
            return Optional.empty();
        }
        Set<String> recorded = applied.get().etcdMembers().stream().map(HostSpec::name).collect(Collectors.toSet());
        Map<String, String> running = new LinkedHashMap<>();
        EtcdCtl.members(spec).stream().filter(m -> recorded.contains(m.name()))
                .forEach(m -> running.put(m.name(), applied.get().etcdVersion()));
        return of(spec, running, RECORDED);
    }

    /** The change from the versions the members report in etcdctl's endpoint status (simple format). */
    public static Optional<EtcdVersionChange> surveyed(ClusterSpec spec, String endpointStatus) {
        return of(spec, EtcdUpgrade.running(spec, endpointStatus), SURVEYED);
    }

    private static Optional<EtcdVersionChange> of(ClusterSpec spec, Map<String, String> running, String source) {
        if (EtcdUpgrade.unsupported(spec).isPresent()) {
            return Optional.empty();
        }
        Version target = Version.of(spec.etcd().version());
        if (running.values().stream().allMatch(v -> Version.parse(v).equals(Optional.of(target)))) {
            return Optional.empty();
        }
        return Optional.of(new EtcdVersionChange(target.toString(), running, source,
                EtcdCtl.members(spec).stream().map(HostSpec::name).toList(), EtcdUpgrade.backupFile(spec)));
    }

    /** The members that run a version newer than etcd.version: etcd is not downgraded. */
    public List<String> newer() {
        Version to = Version.of(target);
        return order.stream().filter(running::containsKey).filter(m -> Version.parse(running.get(m))
                .map(v -> v.compareTo(to) > 0).orElse(false)).toList();
    }

    private boolean onTarget(String member) {
        return Version.parse(running.getOrDefault(member, "")).equals(Version.parse(target));
    }

    /** One line per fact, as plan and the wizard's Review show it. */
    public String describe() {
        StringBuilder out = new StringBuilder("etcd version: etcd.version is " + target + "; the members' versions"
                + " from " + source + ":\n");
        for (String member : order) {
            String version = running.get(member);
            out.append("  ").append(version == null ? member + ": version unknown (" + source + " has none)"
                    : onTarget(member) ? "etcd: " + member + " runs " + target + " already"
                    : "etcd: " + member + " runs " + version + ", etcd.version is " + target).append('\n');
        }
        List<String> newer = newer();
        if (!newer.isEmpty()) {
            out.append("  not downgraded: ").append(String.join(", ", newer)).append(" run a newer etcd than ")
                    .append(target).append(", which upgrade-etcd's version check refuses before any member changes\n");
            return out.toString();
        }
        out.append("  first: an etcd snapshot on ").append(order.getFirst()).append(" at ").append(backup)
                .append(", copied to backups/ in the cluster's state directory\n");
        List<String> steps = new ArrayList<>();
        for (String member : order) {
            steps.add(onTarget(member) ? member + " (not restarted)" : member);
        }
        out.append("  then one member at a time, each restarted on ").append(target)
                .append(" and the cluster healthy before the next: ").append(String.join(", ", steps)).append('\n');
        return out.toString();
    }
}
