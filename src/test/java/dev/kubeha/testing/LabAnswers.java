package dev.kubeha.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Copies of lab/lab.yaml for tests, so no test rewrites the repository's file; fixture paths made absolute. */
public final class LabAnswers {
    public static final Path LAB_YAML = Path.of("lab/lab.yaml").toAbsolutePath();

    private LabAnswers() {
    }

    public static Path copy(Path target, UnaryOperator<String> edit) throws IOException {
        String text = Files.readString(LAB_YAML).replaceFirst("flannelManifest: fixtures/",
                "flannelManifest: " + LAB_YAML.getParent().resolve("fixtures") + "/");
        Files.writeString(target, edit.apply(text));
        return target;
    }
}
