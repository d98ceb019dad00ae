package dev.kubeha.testing;

import dev.kubeha.bundle.BundleArchive;
import dev.kubeha.bundle.BundleImages;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.bundle.BundleManifest;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.render.KubernetesPackages;
import dev.kubeha.sources.SourceCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small real bundles for tests: kubelet, kubeadm, kubectl and kubeadm's images of a spec's version, for amd64. */
public final class TestBundles {
    private TestBundles() {
    }

    /** Writes {@code dir/bundle.tar}, staged in {@code dir/staging}; the files hold their own names. */
    public static Path write(Path dir, ClusterSpec spec) throws IOException {
        String version = KubernetesPackages.version(spec);
        Path staging = Files.createDirectories(dir.resolve("staging"));
        List<BundleItem> items = new ArrayList<>();
        for (String p : List.of("kubelet", "kubeadm", "kubectl")) {
            Path deb = Files.createDirectories(staging.resolve("debs/amd64"))
                    .resolve(p + "_" + version + "-1.1_amd64.deb");
            Files.writeString(deb, p.repeat(100));
            items.add(new BundleItem("debs/amd64/" + deb.getFileName(), BundleItem.Kind.DEB, p, version + "-1.1",
                    "amd64", SourceCache.sha256(deb), Files.size(deb)));
        }
        for (String ref : BundleImages.kubeadm(spec)) {
            String name = ref.replaceAll("[/:@]", "_") + ".tar";
            Path image = Files.createDirectories(staging.resolve("images/amd64")).resolve(name);
            Files.writeString(image, ref);
            items.add(new BundleItem("images/amd64/" + name, BundleItem.Kind.IMAGE, ref, "", "amd64",
                    SourceCache.sha256(image), Files.size(image)));
        }
        Path tar = dir.resolve("bundle.tar");
        BundleArchive.write(tar, new BundleManifest(version, List.of("amd64"), spec.cluster().imageRepository(),
                items), staging);
        return tar;
    }
}
