package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares rendered files with src/test/resources/golden/NAME/HOST/PATH; {@code -Dkubeha.updateGoldens=true}
 * rewrites the goldens instead (review the diff before committing).
 */
final class Goldens {
    static final Path ROOT = Path.of("src/test/resources/golden");

    private Goldens() {
    }

    static void check(String name, List<RenderedFile> files) {
        Path dir = ROOT.resolve(name);
        boolean update = Boolean.getBoolean("kubeha.updateGoldens");
        try {
            if (update) {
                deleteTree(dir);
            }
            Set<Path> expected = new TreeSet<>();
            for (RenderedFile file : files) {
                Path golden = dir.resolve(file.host()).resolve(file.path().substring(1));
                expected.add(golden);
                if (update) {
                    Files.createDirectories(golden.getParent());
                    Files.write(golden, file.content());
                } else if (!Files.isRegularFile(golden)) {
                    fail("no golden " + golden + " for " + file + "; run with -Dkubeha.updateGoldens=true");
                } else {
                    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), file.text(),
                            "rendered " + file + " differs from " + golden);
                }
            }
            try (Stream<Path> all = Files.walk(dir)) {
                List<Path> stale = all.filter(Files::isRegularFile).filter(p -> !expected.contains(p)).toList();
                assertEquals(List.of(), stale, "golden files nothing renders any more");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
