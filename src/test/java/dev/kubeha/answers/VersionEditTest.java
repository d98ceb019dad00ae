package dev.kubeha.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionEditTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheVersionChangesAndEveryCommentStays() throws Exception {
        Path file = dir.resolve("lab.yaml");
        String before = Files.readString(Path.of("lab/lab.yaml"));
        Files.writeString(file, before);
        VersionEdit.setKubernetesVersion(file, "1.37.1");
        String after = Files.readString(file);
        assertEquals(before.replace("kubernetesVersion: \"1.36.3\"", "kubernetesVersion: \"1.37.1\""), after);
        assertTrue(after.contains("kubernetesVersion: \"1.37.1\"          # full version; kubeha supports"), after);
        assertEquals("1.37.1", AnswersFile.load(file).spec().orElseThrow().cluster().kubernetesVersion());
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file is left beside the answers");
        }
    }

    @Test
    void flowStyleAndSingleQuotesKeepTheirForm() {
        String text = """
                cluster: {name: c, kubernetesVersion: '1.36.3'}   # note
                hosts:
                  - {name: a, address: "127.0.0.2", roles: [control-plane, etcd, worker]}
                """;
        String edited = VersionEdit.withKubernetesVersion("f.yaml", text, "1.37.0");
        assertEquals(text.replace("'1.36.3'", "'1.37.0'"), edited);
    }

    @Test
    void aFileWithoutTheFieldIsRefusedWithItsName() {
        String text = """
                cluster:
                  name: c
                hosts:
                  - {name: a, address: "127.0.0.2", roles: [control-plane, etcd, worker]}
                """;
        VersionEdit.EditException e = assertThrows(VersionEdit.EditException.class,
                () -> VersionEdit.withKubernetesVersion("f.yaml", text, "1.37.0"));
        assertTrue(e.getMessage().startsWith("f.yaml"), e.getMessage());
    }
}
