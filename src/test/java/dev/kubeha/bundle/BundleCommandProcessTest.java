package dev.kubeha.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.AnswersWriter;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.testing.LocalRegistry;
import dev.kubeha.testing.ReleaseServer;
import dev.kubeha.tui.KubehaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubeha bundle} as a process (the test class path, or a built image given as {@code -Dkubeha.image}: jib,
 * jackson, Apache HttpClient, commons-compress and BouncyCastle's OpenPGP as the shipped jars have them) against a
 * registry and a package repository on 127.0.0.1.
 */
@Tag("tools")
class BundleCommandProcessTest {
    @TempDir
    Path dir;

    @Test
    void theCommandPullsEveryImageAndPackageIntoABundleThatFitsTheAnswers() throws Exception {
        try (LocalRegistry registry = new LocalRegistry(Files.createDirectory(dir.resolve("registry")));
             ReleaseServer repo = new ReleaseServer()) {
            BundleRegistryTest.Served served = BundleRegistryTest.serve(registry, repo, dir);
            ClusterSpec spec = served.spec();
            List<String> images = served.images();
            Path answers = Files.writeString(dir.resolve("answers.yaml"), AnswersWriter.toYaml(spec));
            Path out = dir.resolve("bundle.tar");
            Process process = new ProcessBuilder(KubehaProcess.command("bundle", "-f", answers.toString(), "-o",
                    out.toString(), "--plain-http-registry", "--release-mirror", repo.base().toString(),
                    "--state-dir", dir.resolve("state").toString())).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(300, TimeUnit.SECONDS), said);
            assertEquals(0, process.exitValue(), said);

            Bundle bundle = BundleArchive.open(out, dir.resolve("open"));
            assertEquals(List.of(), BundleCheck.problems(spec, bundle, List.of("amd64")));
            BundleManifest manifest = bundle.manifest();
            assertEquals(images, manifest.of(BundleItem.Kind.IMAGE).stream().map(BundleItem::name).toList());
            assertEquals(List.of("kubelet", "kubeadm", "kubectl", "kubernetes-cni", "cri-tools"),
                    manifest.of(BundleItem.Kind.DEB).stream().map(BundleItem::name).toList());
            for (BundleItem image : manifest.of(BundleItem.Kind.IMAGE)) {
                Map<String, byte[]> entries = BundleRegistryTest.entries(bundle.dir().resolve(image.path()));
                assertTrue(entries.keySet().stream().anyMatch(n -> n.endsWith(".tar.gz")
                        && BundleRegistryTest.layerHolds(entries.get(n), image.name())), image.name());
            }
        }
    }
}
