package dev.kubeha.bundle;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.render.ContainerRuntimeConfig;
import dev.kubeha.render.KubernetesPackages;
import dev.kubeha.render.Topology;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The container images a cluster runs: kubeadm's for the version (as `kubeadm config images list`), and the add-ons'. */
public final class BundleImages {
    private static final Map<String, String[]> TAGS = load();
    private static final Pattern IMAGE = Pattern.compile(
            "^\\s*(?:-\\s+)?image:\\s*[\"']?([A-Za-z0-9][A-Za-z0-9._/:@-]*)[\"']?\\s*$|"
                    + "--prometheus-config-reloader=([A-Za-z0-9][A-Za-z0-9._/:@-]*)", Pattern.MULTILINE);

    private BundleImages() {
    }

    /** kube-apiserver, -controller-manager, -scheduler, kube-proxy, coredns, pause, and etcd when it is stacked. */
    public static List<String> kubeadm(ClusterSpec spec) {
        String repo = spec.cluster().imageRepository();
        String version = "v" + KubernetesPackages.version(spec);
        String[] tags = TAGS.get(Topology.release(spec).minor());
        if (tags == null) {
            throw new BundleException("kubeha has no image list for Kubernetes " + Topology.release(spec).minor());
        }
        List<String> out = new ArrayList<>();
        for (String c : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy")) {
            out.add(repo + "/" + c + ":" + version);
        }
        out.add(repo + ("registry.k8s.io".equals(repo) ? "/coredns/coredns:" : "/coredns:") + tags[0]);
        out.add(ContainerRuntimeConfig.sandboxImage(spec));
        if (spec.stackedEtcd()) {
            out.add(repo + "/etcd:" + tags[1]);
        }
        return out;
    }

    /**
     * Every image the cluster runs: kubeadm's, then those flannel's manifest and kube-prometheus's release name (when
     * the answers use them and their files are given), in order, once each.
     */
    public static List<String> all(ClusterSpec spec, Optional<byte[]> flannelManifest, Optional<byte[]> prometheus) {
        Set<String> out = new LinkedHashSet<>(kubeadm(spec));
        if (spec.network().cni() == Cni.FLANNEL) {
            flannelManifest.ifPresent(f -> out.addAll(inManifest(new String(f, StandardCharsets.UTF_8))));
        }
        if (spec.addons().kubePrometheus()) {
            prometheus.ifPresent(p -> out.addAll(inRelease(p)));
        }
        return List.copyOf(out);
    }

    /** The images a manifest's containers name (and prometheus-operator's config reloader), in order, once each. */
    public static List<String> inManifest(String yaml) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = IMAGE.matcher(yaml);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return List.copyOf(out);
    }

    /** The images of every manifest (*.yaml, *.json) in a kube-prometheus release archive (.tar.gz). */
    public static List<String> inRelease(byte[] tarGz) {
        Set<String> out = new LinkedHashSet<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new ByteArrayInputStream(tarGz)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile() && e.getName().contains("/manifests/") && e.getName().endsWith(".yaml")) {
                    out.addAll(inManifest(new String(tar.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new BundleException("kube-prometheus release: cannot read it: " + e.getMessage());
        }
        return List.copyOf(out);
    }

    private static Map<String, String[]> load() {
        Map<String, String[]> out = new TreeMap<>();
        try (InputStream in = BundleImages.class.getResourceAsStream("kubeadm-images.tsv")) {
            if (in == null) {
                throw new IllegalStateException("kubeadm-images.tsv is missing from the build");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.split("\t");
                    out.put(f[0], new String[] {f[1], f[2]});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
