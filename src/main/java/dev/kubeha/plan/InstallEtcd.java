package dev.kubeha.plan;

import dev.kubeha.model.ShellQuote;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.EtcdFiles;
import dev.kubeha.render.EtcdSnapshotTimer;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** etcd's user, binary, directories, certificates and unit on every member; its client certificates on control planes. */
final class InstallEtcd {

    private InstallEtcd() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        if (in.spec().stackedEtcd()) {
            return Optional.empty();
        }
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : in.spec().hostsWith(Role.ETCD)) {
            steps.addAll(member(in, host, in.write(host, EtcdUnit.PATH)));
            if (in.spec().etcd().backup().enabled()) {
                steps.add(snapshotTimer(in, host));
            } else if (in.change().etcdBackupDropped()) {
                steps.add(removeSnapshotTimer(host));
            }
        }
        for (HostSpec host : in.spec().hostsWith(Role.CONTROL_PLANE)) {
            steps.add(Step.of("etcd.client", "Put the API server's etcd client certificate in place", host.name(),
                    List.of(in.write(host, EtcdFiles.CONTROL_PLANE_CA), in.write(host, EtcdFiles.APISERVER_CLIENT_CERT),
                            in.write(host, EtcdFiles.APISERVER_CLIENT_KEY))));
        }
        return Optional.of(Phase.parallel(name, "External etcd: install and configure the members", steps));
    }

    /** One member's user, binary, directories, certificates and {@code unit}, in that order. */
    static List<Step> member(PlanInput in, HostSpec host, WriteFile unit) {
        EtcdSpec etcd = in.spec().etcd();
        String user = EtcdFiles.ETCD_USER;
        String data = ShellQuote.quote(etcd.dataDir());
        String certs = ShellQuote.quote(etcd.certDir());
        String h = host.name();
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("etcd.user", "Create the etcd system user", h, List.of(RunCommand.unless(
                "id -u " + user + " >/dev/null 2>&1",
                "useradd --system --user-group --home-dir " + data + " --no-create-home --shell /usr/sbin/nologin "
                        + user))));
        steps.add(binary(in, host, etcd).withAttempts(3));
        steps.add(Step.of("etcd.dirs", "Create " + etcd.dataDir() + " and " + etcd.certDir() + " for etcd only", h,
                List.of(RunCommand.unless(
                        "test \"$(stat -c '%a %U' " + data + ")\" = '700 " + user + "' && test \"$(stat -c '%a %U' "
                                + certs + ")\" = '700 " + user + "'",
                        "install -d -m 0700 -o " + user + " -g " + user + " " + data + " " + certs
                                + " && chmod 0700 " + data + " " + certs + " && chown " + user + ":" + user + " "
                                + data + " " + certs))));
        List<Operation> pki = new ArrayList<>(in.writeAllUnder(host, etcd.certDir()));
        steps.add(Step.of("etcd.certs", "Put etcd's CA, server and peer certificates in place", h, pki));
        steps.add(Step.of("etcd.unit", "Install the etcd systemd unit", h, List.of(unit,
                RunCommand.afterChange("systemctl daemon-reload"))));
        return steps;
    }

    /**
     * etcd.backup's script, service and timer; systemd-analyze checks the schedule before the timer restarts on it.
     */
    static Step snapshotTimer(PlanInput in, HostSpec host) {
        String timer = EtcdSnapshotTimer.UNIT + ".timer";
        return Step.of("etcd.snapshot-timer", "Snapshot this member " + in.spec().etcd().backup().schedule()
                + ", keeping the newest " + in.spec().etcd().backup().keep(), host.name(), List.of(
                in.write(host, EtcdSnapshotTimer.SCRIPT), in.write(host, EtcdSnapshotTimer.SERVICE),
                in.write(host, EtcdSnapshotTimer.TIMER),
                RunCommand.afterChange("systemd-analyze calendar " + ShellQuote.quote(in.spec().etcd().backup()
                        .schedule()) + " >/dev/null && systemctl daemon-reload && systemctl restart " + timer),
                OsCommands.enableAndStart(timer)))
                .verifiedBy(Verification.within(Duration.ofSeconds(10), "systemctl is-active --quiet " + timer));
    }

    /**
     * etcd.backup's timer stopped and disabled, its service stopped, the timer, service and script removed; the
     * snapshots already taken stay in {@link EtcdSnapshotTimer#DIR} (an interrupted one's part file goes).
     */
    static Step removeSnapshotTimer(HostSpec host) {
        String timer = EtcdSnapshotTimer.UNIT + ".timer";
        String service = EtcdSnapshotTimer.UNIT + ".service";
        String files = String.join(" ", EtcdSnapshotTimer.TIMER, EtcdSnapshotTimer.SERVICE, EtcdSnapshotTimer.SCRIPT);
        String gone = "! systemctl is-active --quiet " + timer + " && ! systemctl is-active --quiet " + service
                + " && for f in " + files + "; do ! test -e $f || exit 1; done";
        return Step.of("etcd.snapshot-timer-removed", "Remove etcd.backup's snapshot timer, service and script (the"
                + " snapshots in " + EtcdSnapshotTimer.DIR + " are kept)", host.name(), List.of(RunCommand.unless(gone,
                "systemctl disable --now " + timer + " 2>/dev/null; systemctl stop " + service + " 2>/dev/null;"
                        + " rm -f " + files + " " + EtcdSnapshotTimer.DIR + "/*.part && systemctl daemon-reload")))
                .verifiedBy(Verification.now(gone));
    }

    /** etcd's binaries on a member: the distribution package, or the release archive (local or downloaded). */
    static Step binary(PlanInput in, HostSpec host, EtcdSpec etcd) {
        if (etcd.install() == EtcdInstall.PACKAGE) {
            String pkg = "etcd-server";
            return Step.of("etcd.binary", "Install etcd from the distribution package", host.name(), List.of(
                    OsCommands.installPackages(in.factsOf(host).osFamily(), List.of(pkg, "etcd-client")),
                    RunCommand.unless("! systemctl is-active --quiet etcd || test -f " + EtcdUnit.PATH,
                            "systemctl disable --now etcd")));
        }
        List<String> members = List.of("etcd", "etcdctl", "etcdutl");
        if (!etcd.archive().isEmpty()) {
            return Step.of("etcd.binary", "Install etcd " + etcd.version() + " from the release archive",
                    host.name(), List.of(new InstallFromArchive(etcd.archive(), etcd.archiveSha256(), members,
                            "/usr/local/bin")));
        }
        String arch = in.factsOf(host).arch();
        SourceFiles.CachedFile download = in.sources().find(Releases.ETCD, arch).orElseThrow(() ->
                new IllegalStateException("no etcd download for " + arch + " was given to the planner"));
        return Step.of("etcd.binary", "Install etcd " + etcd.version() + " from the release archive downloaded from "
                        + download.download().url(), host.name(),
                List.of(new InstallFromArchive(download.path().toString(), download.download().sha256().orElseThrow(),
                        members, "/usr/local/bin")));
    }
}
