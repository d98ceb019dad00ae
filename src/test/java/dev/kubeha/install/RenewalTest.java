package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.state.StateHome;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewalTest {
    @TempDir
    Path home;

    @Test
    void aClusterIsInstalledOnceTheFirstControlPlaneFinishedTheVerifyStepAndNotWhileItIsPending() throws Exception {
        ClusterSpec spec = GuideSpecs.guide();
        StateHome state = StateHome.resolve(home, Map.of());
        Path journal = home.resolve("kubernetes/journal");
        assertFalse(Renewal.installed(spec, state));
        Files.createDirectories(journal);
        Files.writeString(journal.resolve("worker1.journal"), "pending verify.cluster 2026-12-01T00:00:00Z\n"
                + "verify.clusterx 0a1b 2026-12-01T00:00:00Z\n");
        assertFalse(Renewal.installed(spec, state));
        Files.writeString(journal.resolve("worker2.journal"), "verify.cluster 0a1b 2026-12-01T00:00:01Z\n");
        assertFalse(Renewal.installed(spec, state), "worker2 is not the first control plane");
        Files.writeString(journal.resolve("worker1.journal"), "verify.cluster 0a1b 2026-12-01T00:00:01Z\n",
                StandardOpenOption.APPEND);
        assertTrue(Renewal.installed(spec, state));
    }
}
