package dev.kubeha.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The table of Kubernetes minors kubeha installs, read from kubernetes-releases.tsv. */
public final class SupportedReleases {
    private static final List<KubernetesRelease> RELEASES = load();

    private SupportedReleases() {
    }

    public static List<KubernetesRelease> all() {
        return RELEASES;
    }

    public static Optional<KubernetesRelease> forVersion(Version version) {
        return forMinor(version.minorLine());
    }

    public static Optional<KubernetesRelease> forMinor(String minor) {
        return RELEASES.stream().filter(r -> r.minor().equals(minor)).findFirst();
    }

    public static String minors() {
        return String.join(", ", RELEASES.stream().map(KubernetesRelease::minor).toList());
    }

    private static List<KubernetesRelease> load() {
        try (InputStream in = SupportedReleases.class.getResourceAsStream("kubernetes-releases.tsv")) {
            if (in == null) {
                throw new IllegalStateException("kubernetes-releases.tsv is missing from the build");
            }
            List<KubernetesRelease> out = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                out.add(new KubernetesRelease(f[0], f[1], Version.of(f[2]),
                        f[3].equals("-") ? Optional.empty() : Optional.of(f[3]), f[4], LocalDate.parse(f[5]), f[6],
                        Arrays.stream(f[7].split(",")).map(Version::of).toList(), Version.of(f[8]),
                        Version.of(f[9]), Version.of(f[10]), Version.of(f[11]), Version.of(f[12])));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
