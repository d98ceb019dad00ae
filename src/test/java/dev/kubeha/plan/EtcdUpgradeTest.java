package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.render.EtcdUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The etcd upgrade of the guide's three members from 3.5.x to 3.6.5 (a local release archive). */
class EtcdUpgradeTest {
    static ClusterSpec at(String version, EtcdInstall install) {
        EtcdSpec e = GuideSpecs.guide().etcd();
        return GuideSpecs.withEtcd(GuideSpecs.guide(), new EtcdSpec(version, e.dataDir(), e.certDir(),
                e.keyAlgorithm(), e.certificateValidityDays(), install, "/srv/etcd-v" + version + "-linux-amd64.tar.gz",
                "cd".repeat(32)));
    }

    final ClusterSpec spec = at("3.6.5", EtcdInstall.ARCHIVE);
    final Plan plan = EtcdUpgrade.WORKFLOW.plan(new EtcdUpgradeInput(new PlanInput(spec, FactsDefaults.forSpec(spec),
            List.of()), new BackupInput(spec, "CERTIFICATE PEM", "KEY PEM")));

    @Test
    void membersAreUpgradedOneAtATimeAfterTheHealthGateTheVersionCheckAndASnapshot() {
        assertEquals(List.of(EtcdUpgrade.HEALTH, EtcdUpgrade.VERSIONS, EtcdUpgrade.BACKUP, EtcdUpgrade.MEMBERS),
                plan.phaseNames());
        Phase members = KubernetesPhasesTest.phase(plan, EtcdUpgrade.MEMBERS);
        assertTrue(members.oneHostAtATime());
        assertEquals(List.of("ceph1", "ceph2", "ceph3"), List.copyOf(members.hosts()));
        for (String member : members.hosts()) {
            List<Step> steps = members.stepsOf(member);
            assertEquals(List.of("etcd.binary", "etcd.upgrade-restart"), steps.stream().map(Step::id).toList());
            InstallFromArchive binary = (InstallFromArchive) steps.get(0).operations().get(0);
            assertEquals("/srv/etcd-v3.6.5-linux-amd64.tar.gz", binary.archive());
            RunCommand restart = (RunCommand) steps.get(1).operations().get(0);
            assertEquals("systemctl restart etcd", restart.command());
            assertTrue(restart.doneWhen().orElseThrow().endsWith(" endpoint status -w json | grep -q"
                    + " '\"version\":\"3.6.5\"'"), restart.doneWhen().orElseThrow());
            String verify = steps.get(1).verify().orElseThrow().command();
            assertTrue(verify.contains("'\"version\":\"3.6.5\"'") && verify.contains("endpoint health --cluster"),
                    verify);
        }
    }

    @Test
    void onlyTheSameOrPreviousMinorAndNoNewerVersionIsAccepted() {
        String check = ((RunCommand) KubernetesPhasesTest.phase(plan, EtcdUpgrade.VERSIONS).steps().get(0)
                .operations().get(0)).command();
        assertTrue(check.contains("case \"$v\" in 3.6.*|3.5.*) ;;"), check);
        assertTrue(check.contains("printf '%s\\n' 3.6.5 \"$v\" | sort -V | tail -n1)\" = 3.6.5 ]"), check);
    }

    @Test
    void theSnapshotBeforeTheUpgradeIsTheBackupsTakenOnceWithKubehasPair() {
        Step snapshot = KubernetesPhasesTest.phase(plan, EtcdUpgrade.BACKUP).steps().get(0);
        assertFalse(snapshot.everyRun());
        assertEquals("ceph1", snapshot.host());
        RestoreTest.assertTakenWithKubehasPair(snapshot, "/var/lib/kubeha/backups/pre-etcd-upgrade-to-3.6.5.db",
                "/var/lib/kubeha/backups/pre-etcd-upgrade-to-3.6.5.db.status.json");
        assertEquals("KEY PEM", ((WriteFile) snapshot.operations().get(1)).file().text());
        assertTrue(((RunCommand) snapshot.operations().get(2)).command().startsWith(
                "( { test -s /var/lib/kubeha/backups/pre-etcd-upgrade-to-3.6.5.db && test -s"
                        + " /var/lib/kubeha/backups/pre-etcd-upgrade-to-3.6.5.db.status.json; } || { umask 077"));
    }

    @Test
    void theMembersReportingAnotherVersionThanEtcdVersionAreOutdatedAndThoseNotAnsweringAreLeftOut() {
        List<String> urls = EtcdUnit.clientUrls(spec);
        String status = urls.get(0) + ", 8e9e05c52164694d, 3.5.16, 20 kB, true, false, 2, 8, 8, \n"
                + urls.get(1) + ", 91bc3c398fb3c146, 3.6.5, 20 kB, false, false, 2, 8, 8, \n";
        assertEquals(Map.of("ceph1", "3.5.16"), EtcdUpgrade.outdated(spec, status));
        assertEquals(Map.of(), EtcdUpgrade.outdated(spec, urls.get(2) + ", fd422379fda50e48, 3.6.5, 1 MB, false,"
                + " false, 2, 8, 8, \n"));
        assertEquals(Map.of("ceph3", "an unreadable version"), EtcdUpgrade.outdated(spec, urls.get(2)
                + ", fd422379fda50e48, 3.6.5; reboot, 1 MB\n"));
        assertEquals(Map.of(), EtcdUpgrade.outdated(spec, "https://10.9.9.9:2379, 1, 3.5.16, 1 MB\n"));
        String command = EtcdUpgrade.endpointStatus(spec);
        assertTrue(command.contains(" --endpoints='" + String.join(",", urls) + "' ")
                && command.endsWith(" endpoint status"), command);
    }

    @Test
    void theSnapshotCountsAsTakenOnlyOnceItsStepIsJournaled() {
        Step snapshot = KubernetesPhasesTest.phase(plan, EtcdUpgrade.BACKUP).steps().get(0);
        assertFalse(EtcdUpgrade.snapshotTaken(plan, step -> !step.equals(snapshot)));
        assertTrue(EtcdUpgrade.snapshotTaken(plan, step -> step.equals(snapshot)));
    }

    @Test
    void packagedAndStackedEtcdAreRefusedWithTheReason() {
        assertEquals(Optional.of("etcd.install is package: the distribution's package manager upgrades etcd"),
                EtcdUpgrade.unsupported(at("3.6.5", EtcdInstall.PACKAGE)));
        assertEquals(Optional.empty(), EtcdUpgrade.unsupported(spec));
    }
}
