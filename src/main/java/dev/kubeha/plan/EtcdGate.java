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
     * A snapshot into {@code file} on the first member before a change, taken once: a resumed run keeps the snapshot
     * from before anything changed.
     */
    static Optional<Phase> snapshotOnce(String name, ClusterSpec spec, String file) {
        if (spec.stackedEtcd()) {
            return Optional.empty();
        }
        HostSpec first = EtcdCtl.members(spec).get(0);
        return Optional.of(Phase.parallel(name, "Back etcd up on " + first.name(), List.of(
                Step.of("etcd.snapshot-once", "etcdctl snapshot save " + file, first.name(), List.of(
                        RunCommand.unless("test -s " + ShellQuote.quote(file),
                                EtcdCtl.saveSnapshot(spec, first, file, file + ".status.json"))))
                        .verifiedBy(Verification.now("test -s " + ShellQuote.quote(file)))
                        .withTimeout(Duration.ofMinutes(10)))));
    }

    /** The backup's snapshot on the first member, taken with kubeha's etcdctl client pair, there for it only. */
    static Optional<Phase> snapshot(String name, BackupInput in) {
        ClusterSpec spec = in.spec();
        if (spec.stackedEtcd()) {
            return Optional.empty();
        }
        HostSpec first = EtcdCtl.members(spec).get(0);
        return Optional.of(Phase.parallel(name, "Take an etcd snapshot on " + first.name(), List.of(
                Step.of("etcd.snapshot", "etcdctl snapshot save " + EtcdCtl.BACKUP_FILE + " and its status",
                                first.name(), List.of(
                                        new WriteFile(RenderedFile.text(first.name(), EtcdCtl.CLIENT_CERT, 0600,
                                                in.clientCertificatePem())),
                                        new WriteFile(RenderedFile.text(first.name(), EtcdCtl.CLIENT_KEY, 0600,
                                                in.clientKeyPem())),
                                        RunCommand.always(EtcdCtl.saveSnapshotAsKubeha(spec, first))))
                        .verifiedBy(Verification.now("test -s " + EtcdCtl.BACKUP_FILE + " && test -s "
                                + EtcdCtl.BACKUP_STATUS + " && test ! -e " + EtcdCtl.CLIENT_KEY))
                        .withTimeout(Duration.ofMinutes(10)).onEveryRun())));
    }
}
