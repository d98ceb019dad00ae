package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.RenderedFile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Phases shared by the day-2 workflows: the etcd health gate and the backup's snapshot. */
final class EtcdGate {
    private EtcdGate() {
    }

    /** Nothing runs after this phase unless every member answers healthy (checked on the first member). */
    static Optional<Phase> healthy(String name, ClusterSpec spec) {
        if (spec.stackedEtcd()) {
            return Optional.empty();
        }
        HostSpec first = EtcdCtl.members(spec).get(0);
        return Optional.of(Phase.parallel(name, "Check that every etcd member is healthy", List.of(
                Step.of("etcd.healthy", "Every etcd member answers healthy", first.name(), List.of())
                        .verifiedBy(Verification.within(Duration.ofSeconds(20), EtcdCtl.clusterHealthy(spec)))
                        .onEveryRun())));
    }

    /**
     * A snapshot into {@code file} on the first member before a change, taken once as the backup takes its own (see
     * {@link #snapshot(String, BackupInput)}): a resumed run keeps the snapshot from before anything changed.
     */
    static Optional<Phase> snapshotOnce(String name, BackupInput in, String file) {
        return snapshot(name, in, "etcd.snapshot-once", file, file + ".status.json", true);
    }

    /** The backup's snapshot on the first member, taken with kubeha's etcdctl client pair, there for it only. */
    static Optional<Phase> snapshot(String name, BackupInput in) {
        return snapshot(name, in, "etcd.snapshot", EtcdCtl.BACKUP_FILE, EtcdCtl.BACKUP_STATUS, false);
    }

    private static Optional<Phase> snapshot(String name, BackupInput in, String id, String file, String status,
                                            boolean once) {
        ClusterSpec spec = in.spec();
        if (spec.stackedEtcd()) {
            return Optional.empty();
        }
        HostSpec first = EtcdCtl.members(spec).get(0);
        Step step = Step.of(id, "etcdctl snapshot save " + file + " and its status", first.name(), List.of(
                        new WriteFile(RenderedFile.text(first.name(), EtcdCtl.CLIENT_CERT, 0600,
                                in.clientCertificatePem())),
                        new WriteFile(RenderedFile.text(first.name(), EtcdCtl.CLIENT_KEY, 0600, in.clientKeyPem())),
                        RunCommand.always(EtcdCtl.saveSnapshotAsKubeha(spec, first, file, status, once))))
                .verifiedBy(Verification.now("test -s " + ShellQuote.quote(file) + " && test -s "
                        + ShellQuote.quote(status) + " && test ! -e " + EtcdCtl.CLIENT_KEY))
                .withTimeout(Duration.ofMinutes(10));
        return Optional.of(Phase.parallel(name, (once ? "Back etcd up on " : "Take an etcd snapshot on ")
                + first.name(), List.of(once ? step : step.onEveryRun())));
    }
}
