package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Where the flannel manifest comes from: the release pinned for the Kubernetes minor, or an operator's local file. */
public sealed interface FlannelSource {

    /**
     * The jump host downloads the pinned release's manifest.
     *
     * @param expectedSha256 the checksum recorded in the state directory by an earlier verified download; empty on
     *                       the first download, whose checksum is then recorded (trust on first use)
     */
    record Download(String version, String url, Optional<String> expectedSha256) implements FlannelSource {
    }

    /** network.flannelManifest: a file on the jump host, for installs without internet access. */
    record LocalFile(Path path) implements FlannelSource {
    }

    /** The outcome of checking downloaded bytes. */
    sealed interface Verdict {
        /** The bytes match the recorded checksum. */
        record Match(String sha256) implements Verdict {
        }

        /** The bytes differ from the recorded checksum: the download must not be applied. */
        record Mismatch(String expected, String actual) implements Verdict {
        }

        /** No checksum was recorded: this one is, and later downloads must match it. */
        record FirstUse(String sha256) implements Verdict {
        }
    }

    static String url(String version) {
        return "https://github.com/flannel-io/flannel/releases/download/" + version + "/kube-flannel.yml";
    }

    static FlannelSource forSpec(ClusterSpec spec, Optional<String> recordedSha256) {
        if (!spec.network().flannelManifest().isEmpty()) {
            return new LocalFile(Path.of(spec.network().flannelManifest()));
        }
        String version = Topology.release(spec).flannel();
        return new Download(version, url(version), recordedSha256);
    }

    static Verdict verify(byte[] bytes, Optional<String> expectedSha256) {
        String actual = RenderedFile.sha256(bytes);
        if (expectedSha256.isEmpty()) {
            return new Verdict.FirstUse(actual);
        }
        String expected = expectedSha256.get().trim().toLowerCase(Locale.ROOT);
        return expected.equals(actual) ? new Verdict.Match(actual) : new Verdict.Mismatch(expected, actual);
    }
}
