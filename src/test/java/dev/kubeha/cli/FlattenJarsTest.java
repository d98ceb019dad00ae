package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jlink/FlattenJars.java, which merges the library jars into the image's one library jar: service files joined,
 * licence files set aside per jar, multi-release classes flattened, and a build that fails on an entry two jars hold
 * differently (the merged jar would keep only one of them).
 */
public class FlattenJarsTest {
    @TempDir
    Path dir;

    @Test
    void mergesServicesKeepsEveryLicenceAndFlattensVersions() throws Exception {
        Path a = jar("alpha-1.0.jar", Map.of("META-INF/services/x.Spi", "a.First\n# comment\n",
                "META-INF/LICENSE", "alpha's licence", "META-INF/NOTICE.txt", "alpha's notice",
                "a/A.class", "base", "META-INF/versions/11/a/A.class", "eleven", "META-INF/versions/99/a/A.class",
                "too new", "a/theme.properties", "same"));
        Path b = jar("beta-2.0.jar", Map.of("META-INF/services/x.Spi", "b.Second\na.First\n",
                "META-INF/LICENSE", "beta's licence", "META-INF/BETA.SF", "signature", "a/theme.properties", "same",
                "META-INF/services/org/jline/terminal/provider/exec", "class = b.Provider\n"));
        Result result = flatten(a, b);
        assertEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("-keep class a.First { <init>(...); }"), result.output);
        assertTrue(result.output.contains("-keep class b.Second { <init>(...); }"), result.output);
        assertTrue(result.output.contains("-keep class b.Provider { <init>(...); }"), result.output);
        Map<String, String> merged = entries(dir.resolve("merged.jar"));
        assertEquals("a.First\nb.Second\n", merged.get("META-INF/services/x.Spi"));
        assertEquals("eleven", merged.get("a/A.class"));
        assertEquals("same", merged.get("a/theme.properties"));
        assertEquals("class = b.Provider\n", merged.get("META-INF/services/org/jline/terminal/provider/exec"));
        assertFalse(merged.containsKey("META-INF/LICENSE"), merged.keySet().toString());
        assertFalse(merged.containsKey("META-INF/BETA.SF"), merged.keySet().toString());
        assertFalse(merged.keySet().stream().anyMatch(n -> n.startsWith("META-INF/versions/")), merged.toString());
        Path licences = dir.resolve("licenses");
        assertEquals("alpha's licence", Files.readString(licences.resolve("alpha-1.0/LICENSE")));
        assertEquals("alpha's notice", Files.readString(licences.resolve("alpha-1.0/NOTICE.txt")));
        assertEquals("beta's licence", Files.readString(licences.resolve("beta-2.0/LICENSE")));
    }

    @Test
    void failsOnAnEntryTwoJarsHoldDifferently() throws Exception {
        Path a = jar("alpha-1.0.jar", Map.of("a/theme.properties", "one"));
        Path b = jar("beta-2.0.jar", Map.of("a/theme.properties", "two"));
        Result result = flatten(a, b);
        assertEquals(1, result.exit, result.output);
        assertTrue(result.output.contains("a/theme.properties differs in alpha-1.0 and beta-2.0"), result.output);
    }

    private record Result(int exit, String output) {
    }

    private Result flatten(Path... jars) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "jlink/FlattenJars.java", "21", dir.resolve("merged.jar").toString(),
                dir.resolve("licenses").toString()));
        for (Path jar : jars) {
            command.add(jar.toString());
        }
        Path output = dir.resolve("output");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "FlattenJars ended");
        return new Result(process.exitValue(), Files.readString(output));
    }

    private Path jar(String name, Map<String, String> contents) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, String> entry : contents.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Map<String, String> entries(Path jar) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            for (JarEntry entry : file.stream().toList()) {
                try (var in = file.getInputStream(entry)) {
                    entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return entries;
    }
}
