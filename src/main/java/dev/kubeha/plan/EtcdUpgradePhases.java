package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.model.Version;
import dev.kubeha.render.EtcdUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The phases of the etcd upgrade workflow; {@link EtcdUpgrade} lists them in order. */
final class EtcdUpgradePhases {
    private EtcdUpgradePhases() {
    }

    /** What the workflow cannot do for this spec: stacked etcd belongs to kubeadm, a package to the distribution. */
    static Optional<String> unsupported(ClusterSpec spec) {
        if (spec.stackedEtcd()) {
            return Optional.of("etcd is stacked: kubeadm upgrades it with the control planes");
        }
        if (spec.etcd().install() == EtcdInstall.PACKAGE) {
            return Optional.of("etcd.install is package: the distribution's package manager upgrades etcd");
        }
        if (Version.parse(spec.etcd().version()).isEmpty()) {
            return Optional.of("etcd.version '" + spec.etcd().version() + "' is not a version such as 3.6.5");
        }
        return Optional.empty();
    }

    /**
     * Every member runs etcd.version's minor or the one before it (etcd upgrades one minor at a time) and none runs a
     * newer version (no downgrades).
     */
    static Optional<Phase> versions(String name, PlanInput in) {
        ClusterSpec spec = requireSupported(in.spec());
        Version target = Version.of(spec.etcd().version());
        HostSpec first = EtcdCtl.members(spec).get(0);
        String previousMinor = target.major() + "." + (target.minor() - 1) + ".";
        String check = "versions=$(" + EtcdCtl.command(spec, String.join(",", EtcdUnit.clientUrls(spec)))
                + " endpoint status -w json | grep -o '\"version\":\"[0-9.]*\"' | cut -d'\"' -f4) && [ -n \"$versions\" ]"
                + " && for v in $versions; do"
                + " [ \"$(printf '%s\\n' " + target + " \"$v\" | sort -V | tail -n1)\" = " + target + " ] || { echo"
                + " \"a member runs etcd $v, newer than etcd.version " + target + ": etcd is not downgraded\" >&2;"
                + " exit 1; };"
                + " case \"$v\" in " + target.minorLine() + ".*|" + previousMinor + "*) ;; *) echo \"a member runs"
                + " etcd $v: etcd upgrades one minor at a time, to " + target.minorLine() + " only from "
                + previousMinor + "x\" >&2; exit 1;; esac; done";
        return Optional.of(Phase.parallel(name, "Check the members' versions against etcd " + target, List.of(
                Step.of("etcd.upgrade-versions", "Every member is within one minor of etcd " + target, first.name(),
                        List.of(RunCommand.always(check))).onEveryRun())));
    }

    /** A snapshot on the first member's disk before any member changes; a resumed upgrade keeps the first one. */
    static Optional<Phase> backup(String name, EtcdUpgradeInput in) {
        ClusterSpec spec = requireSupported(in.plan().spec());
        return EtcdGate.snapshotOnce(name, in.backup(), backupFile(spec));
    }

    /** One member at a time: the binary replaced, etcd restarted unless it runs the target, the cluster healthy. */
    static Optional<Phase> members(String name, PlanInput in) {
        ClusterSpec spec = requireSupported(in.spec());
        String target = Version.of(spec.etcd().version()).toString();
        List<Step> steps = new ArrayList<>();
        for (HostSpec member : EtcdCtl.members(spec)) {
            steps.add(InstallEtcd.binary(in, member, spec.etcd()).withAttempts(3));
            String runsTarget = runs(spec, member, target);
            steps.add(Step.of("etcd.upgrade-restart", "Restart etcd on etcd " + target, member.name(), List.of(
                    RunCommand.unless(runsTarget, "systemctl restart etcd")))
                    .verifiedBy(new Verification(runsTarget + " && " + EtcdCtl.clusterHealthy(spec),
                            Duration.ofSeconds(90), Duration.ofSeconds(2)))
                    .withTimeout(Duration.ofMinutes(3)));
        }
        return Optional.of(Phase.serial(name, "Upgrade the etcd members to " + target + " one at a time", steps));
    }

    /** Where the snapshot taken before the upgrade to etcd.version stays on the first member. */
    static String backupFile(ClusterSpec spec) {
        return EtcdCtl.BACKUP_DIR + "/pre-etcd-upgrade-to-" + Version.of(spec.etcd().version()) + ".db";
    }

    /** The member itself reports {@code version}. */
    private static String runs(ClusterSpec spec, HostSpec member, String version) {
        return EtcdCtl.command(spec, EtcdUnit.clientUrl(member)) + " endpoint status -w json | grep -q '\"version\":\""
                + version + "\"'";
    }

    private static ClusterSpec requireSupported(ClusterSpec spec) {
        unsupported(spec).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        return spec;
    }
}
