package dev.kubeha.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterInfo;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.sources.Downloader;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.sources.TransferListener;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.LocalRegistry;
import dev.kubeha.testing.ReleaseServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images pulled from a real registry on 127.0.0.1 through jib-core, and a whole bundle made against it. */
@Tag("tools")
class BundleRegistryTest {
    @TempDir
    Path dir;

    @Test
    void anImageIsPulledIntoAnArchiveNamedByItsReferenceWithItsLayer() throws Exception {
        try (LocalRegistry registry = new LocalRegistry(Files.createDirectory(dir.resolve("registry")))) {
            String ref = registry.address() + "/pause:3.10.2";
            registry.push(ref, "the pause stand-in");
            Path archive = dir.resolve("out/pause.tar");
            new ImagePull(dir.resolve("layers"), true).pull(ref, "amd64", archive);
            Map<String, byte[]> entries = entries(archive);
            String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
            assertTrue(manifest.contains("\"RepoTags\":[\"" + ref + "\"]"), manifest);
            assertTrue(entries.keySet().stream().anyMatch(n -> n.endsWith(".tar.gz") && layerHolds(entries.get(n),
                    "the pause stand-in")), entries.keySet().toString());

            BundleException missing = assertThrows(BundleException.class, () -> new ImagePull(dir.resolve("layers"),
                    true).pull(registry.address() + "/pause:9.9", "amd64", dir.resolve("out/none.tar")));
            assertTrue(missing.getMessage().startsWith("cannot pull " + registry.address() + "/pause:9.9"),
                    missing.getMessage());
        }
    }

    @Test
    void aBundleCarriesTheVersionsPackagesEveryImageAndTheManifestsImagesAndFitsTheAnswers() throws Exception {
        try (LocalRegistry registry = new LocalRegistry(Files.createDirectory(dir.resolve("registry")));
             ReleaseServer repo = new ReleaseServer()) {
            Served served = serve(registry, repo, dir);
            ClusterSpec spec = served.spec();
            List<String> expected = served.images();
            Path out = dir.resolve("bundle.tar");
            List<String> said = new ArrayList<>();
            BundleManifest manifest = new BundleBuilder(new Downloader(HttpClient.newHttpClient(), Clock.systemUTC(),
                    1, Duration.ZERO), new SourceCache(dir.resolve("cache")), HttpClient.newHttpClient(),
                    new ImagePull(dir.resolve("layers"), true), TransferListener.NONE, said::add)
                    .write(spec, List.of("amd64"), ReleaseSites.under(repo.base()), out);

            assertEquals(expected, manifest.of(BundleItem.Kind.IMAGE).stream().map(BundleItem::name).toList());
            assertEquals(List.of("kubelet", "kubeadm", "kubectl", "kubernetes-cni", "cri-tools"),
                    manifest.of(BundleItem.Kind.DEB).stream().map(BundleItem::name).toList());
            assertEquals(List.of(), manifest.of(BundleItem.Kind.RELEASE));
            Bundle bundle = BundleArchive.open(out, dir.resolve("open"));
            assertEquals(List.of(), BundleCheck.problems(spec, bundle, List.of("amd64")));
            assertEquals(List.of("the bundle carries amd64 only, and a host runs arm64; make it with --arch"
                    + " amd64,arm64"), BundleCheck.problems(spec, bundle, List.of("amd64", "arm64")));
            assertTrue(entries(bundle.dir().resolve(manifest.of(BundleItem.Kind.IMAGE).get(0).path()))
                    .containsKey("manifest.json"));
            assertEquals(List.of("the bundle is for Kubernetes 1.36.3, but cluster.kubernetesVersion is 1.36.2;"
                    + " make a bundle from these answers"), BundleCheck.problems(withVersion(spec, "1.36.2"),
                    bundle, List.of("amd64")));
            assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().startsWith(".kubeha-bundle-")));
        }
    }

    /** Answers whose package repository and image repository are the given servers, and the images they need. */
    record Served(ClusterSpec spec, List<String> images) {
    }

    /** Publishes the signed deb repository and pushes every image the answers need (a layer holds its name). */
    static Served serve(LocalRegistry registry, ReleaseServer repo, Path dir) throws Exception {
        String prefix = "/core:/stable:/v1.36/deb/";
        DebRepositoryTest.standard(repo, prefix).publish(repo, prefix, Files.readAllBytes(DebRepositoryTest.PUBLIC),
                true);
        Path flannel = Files.writeString(dir.resolve("kube-flannel.yml"), "spec:\n  containers:\n"
                + "      - name: f\n        image: " + registry.address() + "/flannel:v0.28.0\n");
        ClusterSpec spec = spec(registry.address(), repo.base().toString().replaceAll("/$", ""), flannel);
        List<String> images = new ArrayList<>(BundleImages.kubeadm(spec));
        images.add(registry.address() + "/flannel:v0.28.0");
        for (String ref : images) {
            registry.push(ref, ref);
        }
        return new Served(spec, List.copyOf(images));
    }

    static ClusterSpec spec(String imageRepository, String packageRepository, Path flannel) {
        ClusterSpec guide = GuideSpecs.guide();
        EtcdSpec e = guide.etcd();
        ClusterSpec s = new ClusterSpec(new ClusterInfo(guide.cluster().name(), "1.36.3", imageRepository,
                packageRepository, DebRepositoryTest.LAB_PIN), guide.ssh(), guide.hosts(), guide.loadBalancer(),
                new NetworkSpec(guide.network().podSubnet(), guide.network().serviceSubnet(),
                        guide.network().dnsDomain(), guide.network().proxyMode(), guide.network().cni(),
                        guide.network().flannelBackend(), flannel.toString()),
                guide.etcd(), guide.containerRuntime(), RuntimeInstall.DISTRIBUTION, new AddonsSpec(false, ""));
        return GuideSpecs.withEtcd(s, new EtcdSpec(e.version(), e.dataDir(), e.certDir(), e.keyAlgorithm(),
                e.certificateValidityDays(), e.install(), "/srv/etcd-v3.6.9-linux-amd64.tar.gz", ""));
    }

    static ClusterSpec withVersion(ClusterSpec s, String version) {
        ClusterInfo c = s.cluster();
        return new ClusterSpec(new ClusterInfo(c.name(), version, c.imageRepository(), c.packageRepository(),
                c.packageRepositoryKeyFingerprint()), s.ssh(), s.hosts(), s.loadBalancer(), s.network(), s.etcd(),
                s.containerRuntime(), s.containerRuntimeInstall(), s.addons());
    }

    static Map<String, byte[]> entries(Path tar) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    static boolean layerHolds(byte[] tarGz, String text) {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(
                new ByteArrayInputStream(tarGz)))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (new String(in.readAllBytes(), StandardCharsets.UTF_8).equals(text)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
