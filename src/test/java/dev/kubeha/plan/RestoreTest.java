package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Role;
import dev.kubeha.testing.GuideSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreTest {
    static final String SHA = "ab".repeat(32);
    final ClusterSpec spec = GuideSpecs.guide();
    final RestoreInput input = new RestoreInput(spec, new byte[] {1, 2, 3}, SHA, 42, "20261205-020000");
    final Plan plan = Restore.WORKFLOW.plan(input);

    @Test
    void apiserversStopBeforeEtcdAndStartAfterItOneAtATime() {
        assertEquals(Restore.WORKFLOW.phaseNames(), plan.phaseNames());
        assertEquals(List.of(Restore.UPLOAD, Restore.STOP_APISERVERS, Restore.STOP_ETCD, Restore.RESTORE_DATA,
                Restore.START_ETCD, Restore.START_APISERVERS, Restore.VERIFY), plan.phaseNames());
        List<String> members = spec.hostsWith(Role.ETCD).stream().map(h -> h.name()).toList();
        List<String> controlPlanes = spec.hostsWith(Role.CONTROL_PLANE).stream().map(h -> h.name()).toList();
        assertEquals(members, List.copyOf(phase(Restore.RESTORE_DATA).hosts()));
        assertEquals(controlPlanes, List.copyOf(phase(Restore.STOP_APISERVERS).hosts()));
        assertTrue(phase(Restore.START_APISERVERS).oneHostAtATime());
        assertFalse(phase(Restore.START_ETCD).oneHostAtATime(), "a restored cluster needs its members together");
        assertTrue(plan.phases().stream().flatMap(p -> p.steps().stream()).allMatch(Step::everyRun));
    }

    @Test
    void theSnapshotIsRestoredOnlyIntoAStoppedMemberUnderItsOwnNameBesideTheOldData() {
        String command = ((RunCommand) phase(Restore.RESTORE_DATA).stepsOf("ceph2").get(0).operations().get(0))
                .command();
        assertTrue(command.startsWith("if systemctl is-active --quiet etcd; then echo 'etcd is running on this"
                + " member: refusing to restore into it' >&2; exit 1; fi; "), command);
        assertTrue(command.contains(" snapshot restore /var/lib/kubeha/restore/snapshot.db --name ceph2 "), command);
        assertTrue(command.contains("--initial-cluster 'ceph1=https://172.21.16.14:2380,ceph2=https://172.21.16.6:2380,"
                + "ceph3=https://172.21.16.13:2380'"), command);
        assertTrue(command.contains("--initial-advertise-peer-urls https://172.21.16.6:2380"), command);
        assertTrue(command.contains("--data-dir /data/etcd.restore-20261205-020000"), command);
        assertTrue(command.endsWith("mv /data/etcd /data/etcd.before-restore-20261205-020000"
                + " && mv /data/etcd.restore-20261205-020000 /data/etcd"), command);
        assertEquals("/data/etcd.before-restore-20261205-020000", input.keptAside());
    }

    @Test
    void theUploadIsCheckedAgainstTheHashAndRevisionOnEveryMember() {
        for (Step step : phase(Restore.UPLOAD).steps()) {
            String check = step.verify().orElseThrow().command();
            assertTrue(check.contains("echo " + SHA + "'  /var/lib/kubeha/restore/snapshot.db' | sha256sum -c"), check);
            assertTrue(check.contains("grep -q '\"revision\":42[,}]'"), check);
        }
        String started = phase(Restore.START_ETCD).steps().get(0).verify().orElseThrow().command();
        assertTrue(started.contains("endpoint health --cluster") && started.endsWith("-ge 42"), started);
    }

    @Test
    void aRunIdOrHashThatCouldBecomeAPathOrCodeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RestoreInput(spec, new byte[0], SHA, 42, "../x"));
        assertThrows(IllegalArgumentException.class, () -> new RestoreInput(spec, new byte[0], "ab; rm", 42, "1"));
        assertThrows(IllegalArgumentException.class, () -> new RestoreInput(spec, new byte[0], SHA, 0, "1"));
    }

    @Test
    void backupChecksHealthBeforeTheSnapshotWhichKubehaTakesWithItsOwnEtcdctlPairRemovedAfter() {
        Plan backup = Backup.WORKFLOW.plan(new BackupInput(spec, "CERTIFICATE PEM", "KEY PEM"));
        assertEquals(List.of(Backup.HEALTH, Backup.SNAPSHOT), backup.phaseNames());
        String gate = backup.phases().get(0).steps().get(0).verify().orElseThrow().command();
        assertTrue(gate.contains("--endpoints='https://172.21.16.14:2379,https://172.21.16.6:2379,"
                + "https://172.21.16.13:2379'") && gate.endsWith("endpoint health --cluster"), gate);
        Step snapshot = backup.phases().get(1).steps().get(0);
        assertTrue(snapshot.everyRun());
        assertEquals("CERTIFICATE PEM", ((WriteFile) snapshot.operations().get(0)).file().text());
        assertEquals("KEY PEM", ((WriteFile) snapshot.operations().get(1)).file().text());
        assertTakenWithKubehasPair(snapshot, "/var/lib/kubeha/backups/snapshot.db",
                "/var/lib/kubeha/backups/snapshot.status.json");
        assertTrue(((RunCommand) snapshot.operations().get(2)).command().startsWith("( umask 077 && mkdir -p"
                + " /var/lib/kubeha/backups && chmod 0700 /var/lib/kubeha/backups && "));
        assertFalse(new BackupInput(spec, "CERTIFICATE PEM", "KEY PEM").toString().contains("KEY PEM"));
    }

    /**
     * The snapshot step of kubeha backup, which the upgrades' snapshots share: kubeha's etcdctl pair pushed 0600, the
     * snapshot into {@code file} taken with it (never a member's server certificate), the pair removed whatever the
     * outcome and checked gone.
     */
    static void assertTakenWithKubehasPair(Step snapshot, String file, String status) {
        assertEquals(3, snapshot.operations().size(), snapshot.operations().toString());
        WriteFile cert = (WriteFile) snapshot.operations().get(0);
        WriteFile key = (WriteFile) snapshot.operations().get(1);
        assertEquals("/var/lib/kubeha/backups/kubeha-etcdctl.pem", cert.file().path());
        assertEquals("/var/lib/kubeha/backups/kubeha-etcdctl-key.pem", key.file().path());
        assertEquals(0600, cert.file().mode());
        assertEquals(0600, key.file().mode());
        RunCommand run = (RunCommand) snapshot.operations().get(2);
        assertTrue(run.doneWhen().isEmpty(), "the pair pushed is removed on every run: " + run.doneWhen());
        String save = run.command();
        assertTrue(save.contains(" --cert=/var/lib/kubeha/backups/kubeha-etcdctl.pem"
                + " --key=/var/lib/kubeha/backups/kubeha-etcdctl-key.pem "), save);
        assertFalse(save.contains("server.pem") || save.contains("server-key.pem"), save);
        assertTrue(save.contains(" snapshot save " + file + ".part >/dev/null && mv " + file + ".part " + file
                + " && "), save);
        assertTrue(save.contains(" snapshot status " + file + " -w json > " + status), save);
        assertTrue(save.endsWith(" ); saved=$?; rm -f /var/lib/kubeha/backups/kubeha-etcdctl.pem"
                + " /var/lib/kubeha/backups/kubeha-etcdctl-key.pem; exit $saved"), save);
        assertEquals("test -s " + file + " && test -s " + status
                + " && test ! -e /var/lib/kubeha/backups/kubeha-etcdctl-key.pem",
                snapshot.verify().orElseThrow().command());
    }

    private Phase phase(String name) {
        return plan.phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}
