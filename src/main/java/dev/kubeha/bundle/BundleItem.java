package dev.kubeha.bundle;

import java.util.regex.Pattern;

/**
 * One file in a bundle.
 *
 * @param path its path inside the archive, e.g. debs/amd64/kubeadm_1.36.3-1.1_amd64.deb
 * @param kind what it is
 * @param name the release component (etcd, flannel, kube-prometheus), package name or image reference
 * @param version the release or package version; empty for images (the reference carries the tag)
 * @param arch the host architecture it is for; empty when the same for all
 */
public record BundleItem(String path, Kind kind, String name, String version, String arch, String sha256, long size) {
    /** What a bundle carries. */
    public enum Kind { RELEASE, DEB, RPM, IMAGE }

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_._+~-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public BundleItem {
        if (path == null || kind == null || name == null || version == null || arch == null || sha256 == null) {
            throw new BundleException("bundle manifest: an item lacks one of path, kind, name, version, arch, sha256");
        }
        if (!plainPath(path)) {
            throw new BundleException("bundle manifest: '" + path + "' is not a plain relative path");
        }
        if (!SHA256.matcher(sha256).matches()) {
            throw new BundleException("bundle manifest: " + path + ": '" + sha256 + "' is not a SHA-256");
        }
        if (size < 0) {
            throw new BundleException("bundle manifest: " + path + ": negative size");
        }
    }

    /** Segments of letters, digits and _.+~- that start with a letter or digit: no .., no absolute path. */
    static boolean plainPath(String path) {
        String[] segments = path.split("/", -1);
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                return false;
            }
        }
        return segments.length > 0;
    }

    /** The file's name, the last path segment. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
