package dev.kubeha.sources;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The SHA-256 table shipped in kubeha (checksums.tsv): one published checksum per component, version and architecture. */
public final class Checksums {
    /** One row: {@code arch} is empty for files that are the same on every architecture. */
    public record Row(String component, String version, String arch, String sha256) {
    }

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final List<Row> ROWS = load();

    private Checksums() {
    }

    public static Optional<String> sha256(String component, String version, String arch) {
        return ROWS.stream().filter(r -> r.component().equals(component) && r.version().equals(version)
                && (r.arch().isEmpty() || r.arch().equals(arch))).map(Row::sha256).findFirst();
    }

    /** Whether any architecture of this version is listed. */
    public static boolean lists(String component, String version) {
        return ROWS.stream().anyMatch(r -> r.component().equals(component) && r.version().equals(version));
    }

    /** Whether {@code sha256} is the listed checksum of some architecture of this version. */
    public static boolean lists(String component, String version, String sha256) {
        return ROWS.stream().anyMatch(r -> r.component().equals(component) && r.version().equals(version)
                && r.sha256().equals(sha256));
    }

    /** The listed versions of a component, in table order, without repeats. */
    public static List<String> versions(String component) {
        return ROWS.stream().filter(r -> r.component().equals(component)).map(Row::version).distinct().toList();
    }

    static List<Row> parse(BufferedReader reader) throws IOException {
        List<Row> out = new ArrayList<>();
        int number = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4 || f[0].isEmpty() || f[1].isEmpty() || !SHA256.matcher(f[3]).matches()) {
                throw new IllegalStateException("checksums.tsv:" + number + ": not component, version, arch, sha256");
            }
            out.add(new Row(f[0], f[1], f[2], f[3]));
        }
        return List.copyOf(out);
    }

    private static List<Row> load() {
        try (InputStream in = Checksums.class.getResourceAsStream("checksums.tsv")) {
            if (in == null) {
                throw new IllegalStateException("checksums.tsv is missing from the build");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
