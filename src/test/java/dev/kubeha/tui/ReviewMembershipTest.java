package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.install.AppliedRecord;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateHome;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewMembershipTest {
    @TempDir
    Path state;

    private static Draft twoControlPlanes() {
        Draft draft = Draft.defaults();
        for (String name : List.of("cp1", "cp2")) {
            Draft.HostDraft cp = new Draft.HostDraft();
            cp.name = name;
            cp.address = "192.168.10." + (name.equals("cp1") ? 11 : 12);
            cp.toggle(Role.CONTROL_PLANE);
            cp.toggle(Role.LOAD_BALANCER);
            draft.hosts.add(cp);
        }
        draft.vip = "192.168.10.100";
        return draft;
    }

    private StateDir clusterState(ClusterSpec spec) {
        return StateDir.at(new StateHome(state).clusterDir(spec.cluster().name()));
    }

    @Test
    void reviewShowsTheHostsThatLeaveAndWhyApplyRefuses() throws IOException {
        Draft draft = twoControlPlanes();
        try (VirtualWizard w = new VirtualWizard(200, 40, draft, Optional.empty(), state)) {
            w.wizard.show(7);
            assertFalse(w.text().contains("membership"), "a new cluster has no record: " + w.text());
            ClusterSpec spec = draft.load().spec().orElseThrow();
            List<HostSpec> before = new ArrayList<>(spec.hosts());
            before.add(new HostSpec("w1", "192.168.10.21", Set.of(Role.WORKER)));
            AppliedRecord.write(clusterState(spec), spec.withHosts(before));
            w.wizard.show(6);
            w.wizard.show(7);
            String text = w.text();
            assertTrue(text.contains("membership (the answers compared with the recorded topology):"), text);
            assertTrue(text.contains("  leaves: w1 (192.168.10.21, worker)"), text);
            assertTrue(text.contains("  refused: the answers remove w1 (192.168.10.21, worker): removal runs only"
                    + " with --allow-removal"), text);
        }
    }

    @Test
    void reviewShowsAnEtcdVersionChangeFromTheRecordedVersion() throws IOException {
        ClusterSpec guide = GuideSpecs.guide();
        try (VirtualWizard w = new VirtualWizard(220, 80, Draft.from(guide), Optional.empty(), state)) {
            w.wizard.show(7);
            assertFalse(w.text().contains("etcd version:"), "a new cluster has no record: " + w.text());
            AppliedRecord.write(clusterState(guide), GuideSpecs.withEtcdVersion(guide, "3.5.16"));
            w.wizard.show(6);
            w.wizard.show(7);
            String text = w.text();
            assertTrue(text.contains("etcd version: etcd.version is 3.5.24; the members' versions from the last"
                    + " apply's record:"), text);
            assertTrue(text.contains("  etcd: ceph2 runs 3.5.16, etcd.version is 3.5.24"), text);
            assertTrue(text.contains("  first: an etcd snapshot on ceph1 at /var/lib/kubeha/backups/"
                    + "pre-etcd-upgrade-to-3.5.24.db"), text);
            assertTrue(text.contains("the cluster healthy before the next: ceph1, ceph2, ceph3"), text);
        }
    }

    @Test
    void installIsStoppedByARefusedChangeAndByADamagedRecord() throws IOException {
        ClusterSpec spec = twoControlPlanes().load().spec().orElseThrow();
        LiveState live = new LiveState(Optional.empty(), new StateHome(state), Duration.ZERO, Runnable::run, () -> { });
        assertEquals(List.of(), InstallGate.failures(spec, live));
        List<HostSpec> before = new ArrayList<>(spec.hosts());
        before.add(new HostSpec("w1", "192.168.10.21", Set.of(Role.WORKER)));
        StateDir dir = clusterState(spec);
        AppliedRecord.write(dir, spec.withHosts(before));
        assertEquals(List.of(new InstallGate.Failure("refused: the answers remove w1 (192.168.10.21, worker): removal"
                + " runs only with --allow-removal", "hosts")), InstallGate.failures(spec, live));
        Files.writeString(AppliedRecord.path(dir), "kind: [");
        assertEquals(1, InstallGate.failures(spec, live).size());
        assertTrue(InstallGate.failures(spec, live).get(0).text().contains("the applied-topology record is damaged"));
    }

    @Test
    void aDamagedRecordIsShownNotThrown() throws IOException {
        Draft draft = twoControlPlanes();
        try (VirtualWizard w = new VirtualWizard(200, 40, draft, Optional.empty(), state)) {
            ClusterSpec spec = draft.load().spec().orElseThrow();
            StateDir dir = clusterState(spec);
            AppliedRecord.write(dir, spec);
            Path file = AppliedRecord.path(dir);
            Files.writeString(file, Files.readString(file).replace("name: cp2", "name: \"a b\""));
            w.wizard.show(7);
            assertTrue(w.text().contains("hosts[1].name: 'a b' is not a valid host name"), w.text());
        }
    }
}
