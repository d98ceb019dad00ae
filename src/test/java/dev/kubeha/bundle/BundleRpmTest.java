package dev.kubeha.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.sources.Downloader;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.sources.SourceException;
import dev.kubeha.testing.ReleaseServer;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle's .rpms: from the answers' package repository on 127.0.0.1, each checked against primary's SHA-256. */
class BundleRpmTest {
    @TempDir
    Path dir;

    private ClusterSpec spec(ReleaseServer server) throws Exception {
        String guide = Files.readString(Path.of("assets/examples/guide.yaml")).replace(
                "packageRepository: https://pkgs.k8s.io", "packageRepository: " + server.base().toString()
                        .replaceAll("/$", "") + "\n  packageRepositoryKeyFingerprint: " + DebRepositoryTest.LAB_PIN);
        CheckedAnswers checked = CheckedAnswers.of(AnswersFile.parse("guide.yaml", guide), LocalDate.of(2026, 12, 1));
        return checked.validSpec().orElseThrow(() -> new AssertionError(checked.problems().toString()));
    }

    private BundleBuilder builder(List<String> said) {
        return new BundleBuilder(new Downloader(HttpClient.newHttpClient(), Clock.systemUTC(), 1, Duration.ZERO),
                new SourceCache(dir.resolve("cache")), HttpClient.newHttpClient(), null, t -> { }, said::add);
    }

    @Test
    void theRpmsOfEachArchitectureAreStagedWithTheirChecksumsAndAChangedOneIsRefused() throws Exception {
        try (ReleaseServer server = new ReleaseServer()) {
            RpmRepositoryTest.standard(server).publish(server, Files.readAllBytes(DebRepositoryTest.PUBLIC), true);
            List<String> said = new ArrayList<>();
            List<BundleItem> items = builder(said).rpms(spec(server), List.of("arm64"), dir.resolve("staging"));
            assertEquals(List.of("rpms/arm64/kubelet-1.36.3-150500.1.1.aarch64.rpm",
                    "rpms/arm64/kubeadm-1.36.3-150500.1.10.aarch64.rpm", "rpms/arm64/kubectl-1.36.3-150500.1.1.aarch64.rpm",
                    "rpms/arm64/kubernetes-cni-1.10.0-150500.1.1.aarch64.rpm",
                    "rpms/arm64/cri-tools-1.36.0-150500.1.1.aarch64.rpm"), items.stream().map(BundleItem::path).toList());
            BundleItem kubeadm = items.get(1);
            assertEquals(BundleItem.Kind.RPM, kubeadm.kind());
            assertEquals("1.36.3-150500.1.10", kubeadm.version());
            assertEquals(DebRepositoryTest.sha(Files.readAllBytes(dir.resolve("staging").resolve(kubeadm.path()))),
                    kubeadm.sha256());
            assertEquals(List.of("package repository " + server.base() + "core:/stable:/v1.36/rpm/"), said);
            String path = "/core:/stable:/v1.36/rpm/aarch64/kubectl-1.36.3-150500.1.1.aarch64.rpm";
            server.put(path, "changed".getBytes());
            Files.delete(dir.resolve("cache/rpm-arm64/kubectl-1.36.3-150500.1.1.aarch64.rpm"));
            SourceException changed = assertThrows(SourceException.class,
                    () -> builder(said).rpms(spec(server), List.of("arm64"), dir.resolve("staging2")));
            assertTrue(changed.getMessage().startsWith(server.base() + path.substring(1) + ": SHA-256 is "),
                    changed.getMessage());
        }
    }
}
