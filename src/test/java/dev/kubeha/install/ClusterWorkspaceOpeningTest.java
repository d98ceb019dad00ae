package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.state.StateException;
import dev.kubeha.state.StateHome;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply's workspace: the PKI loads beside the caller's work, and what loading it throws reaches its first use. */
class ClusterWorkspaceOpeningTest {
    @TempDir
    Path dir;

    @Test
    void thePkiCreatedBesideIsTheOneLaterRunsLoad() {
        ClusterSpec spec = GuideSpecs.guide();
        StateHome home = StateHome.resolve(dir, Map.of());
        ClusterWorkspace opening = ClusterWorkspace.opening(spec, home);
        byte[] ca = opening.clusterCa().certificatePem();
        List<String> etcd = opening.pki().hostFiles(spec).stream().map(f -> f.host() + ":" + f.path() + ":"
                + f.sha256()).toList();
        opening.settle();
        ClusterWorkspace loaded = ClusterWorkspace.open(spec, home);
        assertArrayEquals(ca, loaded.clusterCa().certificatePem());
        assertEquals(etcd, loaded.pki().hostFiles(spec).stream().map(f -> f.host() + ":" + f.path() + ":"
                + f.sha256()).toList());
    }

    @Test
    void aPkiThatCannotBeLoadedFailsWhereItIsUsedNotWhenTheWorkspaceOpens() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        StateHome home = StateHome.resolve(dir, Map.of());
        ClusterWorkspace.open(spec, home);
        Path etcd = home.clusterDir(spec.cluster().name()).resolve(EtcdPki.STATE_SUBDIR);
        try (Stream<Path> files = Files.walk(etcd)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        ClusterWorkspace opening = ClusterWorkspace.opening(spec, home);
        opening.settle();
        StateException refused = assertThrows(StateException.class, opening::pki);
        assertTrue(refused.getMessage().contains("readable or writable by group or others"), refused.getMessage());
        assertTrue(opening.clusterCa().certificatePem().length > 0, "the cluster CA loads on its own");
        assertThrows(StateException.class, () -> ClusterWorkspace.open(spec, home),
                "the eager open refuses the same state at once");
    }
}
