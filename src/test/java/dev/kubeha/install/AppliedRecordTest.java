package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.AppliedTopology;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateException;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedRecordTest {
    private static final ClusterSpec GUIDE = GuideSpecs.guide();

    @TempDir
    Path home;

    private StateDir state() {
        return StateDir.at(home.resolve(".kubeha").resolve("c"));
    }

    @Test
    void noRecordIsEmptyAndAWrittenRecordReadsBackPrivate() throws Exception {
        StateDir state = state();
        assertEquals(Optional.empty(), AppliedRecord.read(state));
        AppliedRecord.write(state, GUIDE);
        Path file = AppliedRecord.path(state);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(Optional.of(AppliedTopology.of(GUIDE)), AppliedRecord.read(state));
        assertTrue(AppliedRecord.changeTo(state, GUIDE).recorded());
    }

    @Test
    void anEtcdUpgradeRecordsTheNewVersionInAnExistingRecordOnly() {
        StateDir state = state();
        AppliedRecord.etcdUpgraded(state, "3.6.5");
        assertEquals(Optional.empty(), AppliedRecord.read(state));
        AppliedRecord.write(state, GuideSpecs.withEtcdVersion(GUIDE, "3.5.16"));
        assertTrue(AppliedRecord.etcdVersionChangeTo(state, GUIDE).isPresent());
        AppliedRecord.etcdUpgraded(state, GUIDE.etcd().version());
        assertEquals(Optional.of(AppliedTopology.of(GUIDE)), AppliedRecord.read(state));
        assertEquals(Optional.empty(), AppliedRecord.etcdVersionChangeTo(state, GUIDE));
    }

    @Test
    void aResetForgetsTheRecord() {
        StateDir state = state();
        AppliedRecord.write(state, GUIDE);
        AppliedRecord.forget(state);
        assertEquals(Optional.empty(), AppliedRecord.read(state));
        AppliedRecord.forget(state);
    }

    @Test
    void aRecordOthersCanReadOrChangeIsRefused() throws Exception {
        StateDir state = state();
        AppliedRecord.write(state, GUIDE);
        Files.setPosixFilePermissions(AppliedRecord.path(state), PosixFilePermissions.fromString("rw-rw-r--"));
        assertThrows(StateException.class, () -> AppliedRecord.read(state));
    }

    @Test
    void aDamagedRecordIsAStateErrorNamingFileLineAndTheWayOut() throws Exception {
        StateDir state = state();
        AppliedRecord.write(state, GUIDE);
        Path file = AppliedRecord.path(state);
        Files.writeString(file, Files.readString(file).replace("name: ceph2", "name: \"../etc\""));
        StateException e = assertThrows(StateException.class, () -> AppliedRecord.read(state));
        assertTrue(e.getMessage().startsWith(file + ":14: hosts[3].name: '../etc' is not a valid host name"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("the applied-topology record is damaged: restore it, or remove it so"
                + " kubeha knows of no removal"), e.getMessage());
    }
}
