package dev.kubeha.sources;

import dev.kubeha.model.RuntimeArchives;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One file kubeha fetches on the jump host: what it is, where it comes from (an http(s) URL, or a file: URL for the
 * operator's copy on the jump host), and the SHA-256 it must have.
 *
 * @param component what it belongs to (etcd, flannel, kube-prometheus); also its directory in the cache
 * @param arch the host architecture it is for (amd64, arm64), empty when the same for all
 * @param fileName its name in the cache
 * @param sha256 the published SHA-256 from the shipped table or the operator; empty when its publisher releases none:
 *               then the first download's is recorded in the cache and every later copy must match it
 * @param field the answers field that names a local copy instead, for messages
 */
public record Download(String component, String version, String arch, String fileName, URI url,
                       Optional<String> sha256, String field) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public Download {
        if (!NAME.matcher(component).matches() || !NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("not a plain file name: " + component + "/" + fileName);
        }
        sha256.filter(s -> !Checksums.SHA256.matcher(s).matches()).ifPresent(s -> {
            throw new IllegalArgumentException("not a SHA-256: " + s);
        });
    }

    /** Whether it is the operator's file on the jump host (a file: URL) rather than a download. */
    public boolean local() {
        return "file".equals(url.getScheme());
    }

    /** e.g. "etcd 3.6.9 linux-arm64". */
    public String title() {
        return component + " " + version + (arch.isEmpty() ? "" : " linux-" + arch);
    }

    /**
     * The remedy when this file cannot be fetched, for messages: "set FIELD to {@code copy}" where the field names a
     * local copy; the runtime's files also come from a mirror, or the distribution's package is used instead.
     */
    public String instead(String copy) {
        String mirror = "serve it from a release mirror (--release-mirror URL), or set " + Releases.RUNTIME_FIELD
                + ": distribution";
        if (field.equals(Releases.RUNTIME_FIELD)) {
            return mirror;
        }
        return "set " + field + " to " + copy + (field.startsWith(RuntimeArchives.FIELD + ".") ? ", " + mirror : "");
    }

    /** What the SHA-256 is checked against, for plan output and messages. */
    public String checkedAgainst() {
        return sha256.map(s -> "sha256 " + s).orElse("no published SHA-256: the first download's is recorded in the"
                + " cache and later copies must match it");
    }
}
