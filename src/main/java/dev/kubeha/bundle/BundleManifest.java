package dev.kubeha.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bundle's table of contents (manifest.json): what it was made for and every file with its SHA-256 and size.
 *
 * @param kubernetesVersion the exact version, e.g. 1.36.3
 * @param architectures the host architectures it carries packages and images for
 * @param imageRepository cluster.imageRepository the kubeadm images were pulled from and are named after
 */
public record BundleManifest(String format, String kubernetesVersion, List<String> architectures,
                             String imageRepository, List<BundleItem> items) {
    public static final String FORMAT = "kubeha-bundle/v1";
    public static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public BundleManifest {
        if (kubernetesVersion == null || architectures == null || imageRepository == null || items == null) {
            throw new BundleException(FILE + ": lacks one of kubernetesVersion, architectures, imageRepository, items");
        }
        if (!FORMAT.equals(format)) {
            throw new BundleException(FILE + ": format '" + format + "' is not " + FORMAT
                    + "; make the bundle with this kubeha");
        }
        architectures = List.copyOf(architectures);
        items = List.copyOf(items);
        Set<String> paths = new TreeSet<>();
        for (BundleItem item : items) {
            if (item.path().equals(FILE) || !paths.add(item.path())) {
                throw new BundleException(FILE + ": '" + item.path() + "' is listed twice");
            }
        }
    }

    public BundleManifest(String kubernetesVersion, List<String> architectures, String imageRepository,
                          List<BundleItem> items) {
        this(FORMAT, kubernetesVersion, architectures, imageRepository, items);
    }

    public List<BundleItem> of(BundleItem.Kind kind) {
        return items.stream().filter(i -> i.kind() == kind).toList();
    }

    /** Items of one kind for one architecture, plus those for every architecture. */
    public List<BundleItem> of(BundleItem.Kind kind, String arch) {
        return items.stream().filter(i -> i.kind() == kind && (i.arch().isEmpty() || i.arch().equals(arch))).toList();
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the manifest is plain records", e);
        }
    }

    public static BundleManifest parse(byte[] json) {
        try {
            BundleManifest m = JSON.readValue(json, BundleManifest.class);
            if (m == null) {
                throw new BundleException(FILE + ": not a kubeha bundle manifest");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new BundleException(FILE + ": not a kubeha bundle manifest: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BundleException(FILE + ": cannot read it: " + e.getMessage());
        }
    }
}
