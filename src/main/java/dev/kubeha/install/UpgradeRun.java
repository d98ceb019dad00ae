package dev.kubeha.install;

import dev.kubeha.answers.VersionEdit;
import dev.kubeha.exec.RunResult;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.Preflight;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.UpgradePath;
import dev.kubeha.model.Version;
import dev.kubeha.plan.EtcdCtl;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.Upgrade;
import dev.kubeha.plan.UpgradeInput;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.ssh.SshException;
import dev.kubeha.ssh.SshSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Kubernetes upgrade of an installed cluster, for {@code kubeha upgrade} and the TUI's Cluster screen: the
 * refusals before anything changes (the version path, certificates, the status check), the plan on the one executor,
 * the etcd backup copied to the jump host, and the answers file's version after success.
 *
 * @param current the cluster as the answers file describes it now
 * @param path the checked upgrade path
 * @param maxUnavailable how many workers are drained together
 * @param answers the answers file, whose cluster.kubernetesVersion is set after success
 * @param settings how kubeha reaches the hosts
 * @param breakLock whether a stale host lock is taken over
 * @param clock the clock of the run
 * @param drainTimeout how long one kubectl drain may wait for evictions before the upgrade fails
 */
public record UpgradeRun(ClusterWorkspace current, UpgradePath path, int maxUnavailable, Path answers,
                         SshSettings settings, boolean breakLock, Clock clock, Duration drainTimeout) {
    /** With the default drain timeout. */
    public UpgradeRun(ClusterWorkspace current, UpgradePath path, int maxUnavailable, Path answers,
                      SshSettings settings, boolean breakLock, Clock clock) {
        this(current, path, maxUnavailable, answers, settings, breakLock, clock, UpgradeInput.DEFAULT_DRAIN_TIMEOUT);
    }

    /** Certificates closer than this to their end would expire while the upgrade runs. */
    public static final Duration CERTIFICATE_MARGIN = Duration.ofDays(1);

    /** Runs the plan with the caller's progress view (headless lines or the install's panes). */
    @FunctionalInterface
    public interface Execution {
        RunResult run(InstallSession session, Plan plan);
    }

    /** Asks before anything changes; false stops with nothing changed. */
    @FunctionalInterface
    public interface Confirmation {
        boolean confirm(Plan plan);
    }

    /** The upgrade path from the answers' version to {@code target}, or {@link UpgradePath.Refused}. */
    public static UpgradePath path(ClusterSpec spec, String target) {
        return UpgradePath.check(spec.cluster().kubernetesVersion(), target, spec.addons().kubePrometheus());
    }

    /**
     * What the upgrade will change, one line each, for a confirmation: the versions, the backup, kubeadm's order and
     * the nodes one at a time (workers in batches), and the answers file afterwards.
     */
    public static List<String> outline(ClusterSpec spec, UpgradePath path, int maxUnavailable) {
        List<String> controlPlanes = spec.hostsWith(Role.CONTROL_PLANE).stream().map(HostSpec::name).toList();
        List<String> workers = spec.hosts().stream().filter(h -> h.has(Role.WORKER) && !h.has(Role.CONTROL_PLANE))
                .map(HostSpec::name).toList();
        List<String> lines = new ArrayList<>();
        lines.add("Kubernetes " + path.from() + " -> " + path.to() + " on cluster " + spec.cluster().name());
        if (!spec.stackedEtcd()) {
            lines.add("etcd snapshot first: " + EtcdCtl.members(spec).get(0).name() + ":"
                    + UpgradeInput.backupFile(path) + ", copied to the jump host");
        }
        if (path.newMinor()) {
            lines.add("package repository: Kubernetes " + path.to().minorLine() + " on every node");
        }
        lines.add("kubeadm upgrade apply v" + path.to() + " on " + controlPlanes.get(0) + (controlPlanes.size() > 1
                ? "; kubeadm upgrade node on " + String.join(", ", controlPlanes.subList(1, controlPlanes.size()))
                : ""));
        lines.add("control planes one at a time: drained, kubelet and kubectl " + path.to()
                + ", restarted, uncordoned: " + String.join(", ", controlPlanes));
        if (!workers.isEmpty()) {
            lines.add("workers " + maxUnavailable + " at a time, the same way: " + String.join(", ", workers));
        }
        lines.add("add-ons re-applied; cluster.kubernetesVersion set to " + path.to() + " in the answers file");
        return lines;
    }

    /** The upgrade: 0 when it ran and the answers say so, 1 when refused, not confirmed or a step failed. */
    public int run(PrintWriter out, PrintWriter err, Confirmation confirmation, Execution execution) {
        ClusterSpec spec = current.spec();
        if (!spec.stackedEtcd() && Version.parse(spec.etcd().version())
                .filter(v -> v.compareTo(path.release().minExternalEtcd()) < 0).isPresent()) {
            err.println("warning: etcd.version " + spec.etcd().version() + " is older than "
                    + path.release().minExternalEtcd() + ", the oldest external etcd Kubernetes " + path.to().minorLine()
                    + " supports; kubeadm's check is skipped as at install: upgrade etcd soon");
        }
        ClusterWorkspace target = new ClusterWorkspace(spec.withKubernetesVersion(path.to().toString()),
                current.state(), current.secrets(), current.pki(), current.clusterCa());
        List<String> ending = IssuedCertificates.endingBefore(target, clock.instant().plus(CERTIFICATE_MARGIN));
        if (!ending.isEmpty()) {
            ending.forEach(c -> err.println("refused: certificate ending within " + CERTIFICATE_MARGIN.toHours()
                    + " h: " + c));
            err.flush();
            return 1;
        }
        try (InstallSession session = new InstallSession(target, settings, 32, clock)) {
            return run(session, target, out, err, confirmation, execution);
        }
    }

    private int run(InstallSession session, ClusterWorkspace target, PrintWriter out, PrintWriter err,
                    Confirmation confirmation, Execution execution) {
        out.println("upgrade " + path.from() + " -> " + path.to() + ": connecting to " + target.spec().hosts().size()
                + " hosts and taking their locks");
        out.flush();
        List<String> runtime = new ArrayList<>();
        InstallSession.Preparation prepared = session.prepare(breakLock, Upgrade.WORKFLOW, probed -> {
            Map<String, HostFacts> facts = InstallSession.facts(probed);
            runtime.addAll(Preflight.runtimeForUpgrade(target.spec(), facts));
            return new UpgradeInput(target.planInput(facts, AddonSources.cached(target.spec(),
                    SourceCache.sharedBy(target.state().root()))), path, maxUnavailable, drainTimeout,
                    target.etcdBackupInput());
        });
        Optional<Plan> ready = readyPlan(prepared, err);
        if (ready.isEmpty()) {
            return 1;
        }
        Plan plan = ready.get();
        if (!runtime.isEmpty()) {
            runtime.forEach(r -> err.println("refused: " + r));
            err.println("nothing was changed");
            err.flush();
            return 1;
        }
        if (startedBefore(plan, session)) {
            out.println("resuming: this upgrade passed the status check and took its etcd backup in an earlier run");
        } else {
            List<String> problems = statusProblems();
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("refused: status: " + p));
                err.println("nothing was changed: kubeha upgrades a healthy cluster only (see kubeha status)");
                err.flush();
                return 1;
            }
        }
        if (!confirmation.confirm(plan)) {
            err.println("not confirmed: nothing was changed (use --yes to run without asking)");
            err.flush();
            return 1;
        }
        HealthzProbe.Report healthz;
        RunResult result;
        try (HealthzProbe probe = HealthzProbe.start(target.spec(), target.clusterCa(), clock)) {
            result = execution.run(session, plan);
            healthz = probe.report();
        }
        out.println("healthz during the upgrade: " + healthz.text());
        if (plan.phaseNames().contains(Upgrade.BACKUP)) {
            keepBackup(session, target.spec(), UpgradeInput.backupFile(path), out, err);
        }
        if (!result.ok()) {
            MembershipRun.failed(result, err);
            return 1;
        }
        try {
            VersionEdit.setKubernetesVersion(answers, path.to().toString());
        } catch (IOException | VersionEdit.EditException e) {
            err.println("upgraded, but " + answers + " still says " + path.from() + ": " + e.getMessage()
                    + "; set cluster.kubernetesVersion to " + path.to() + " yourself");
            err.flush();
            return 1;
        }
        out.println("done: cluster " + target.spec().cluster().name() + " runs Kubernetes " + path.to() + "; "
                + answers + " says so (logs: " + session.logs() + ")");
        out.flush();
        return 0;
    }

    /** The prepared plan, or empty after printing what kept a host from being reached, locked or probed. */
    public static Optional<Plan> readyPlan(InstallSession.Preparation prepared, PrintWriter err) {
        prepared.blockers().forEach(b -> err.println("error: " + b.text()));
        if (!prepared.ready()) {
            err.println("nothing was upgraded: every host must be reachable");
            err.flush();
        }
        return prepared.plan();
    }

    /** True when an earlier run got past the checks: it took the backup or changed the first control plane. */
    static boolean startedBefore(Plan plan, InstallSession session) {
        return plan.phases().stream().filter(p -> p.name().equals(Upgrade.BACKUP) || p.name().equals(Upgrade.APPLY))
                .flatMap(p -> p.steps().stream()).anyMatch(session::journaled);
    }

    /** What {@code kubeha status} would call degraded, from one read-only pass over the hosts. */
    private List<String> statusProblems() {
        try (ClusterSurvey survey = new ClusterSurvey(current, settings, 32, clock)) {
            return survey.run().problems();
        }
    }

    /**
     * Copies the etcd snapshot taken before the upgrade from the first member to the jump host (STATE/backups/, 0600,
     * with its SHA-256 record, as kubeha backup does) and says where both copies are.
     */
    public static void keepBackup(InstallSession session, ClusterSpec spec, String remoteFile, PrintWriter out,
                                  PrintWriter err) {
        HostSpec member = EtcdCtl.members(spec).get(0);
        String where = member.name() + ":" + remoteFile;
        try {
            Path copy = EtcdSnapshots.keepCopy(session.host(member.name()), spec, member, remoteFile,
                    session.state(), Clock.systemUTC());
            out.println("etcd backup taken before the upgrade: " + where + ", copied to " + copy
                    + " (0600, sha256 " + EtcdSnapshots.check(copy, spec).record().sha256() + ")");
        } catch (SshException | EtcdSnapshots.SnapshotException e) {
            err.println("etcd backup before the upgrade (" + where + ") is not on the jump host: " + e.getMessage());
        }
        out.flush();
        err.flush();
    }
}
