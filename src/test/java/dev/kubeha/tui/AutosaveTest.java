package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.state.StateHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutosaveTest {
    @TempDir
    Path dir;

    @Test
    void aStateDirectoryThatIsNotOursIsAnAutosaveFailureTheWizardReports() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path root = Files.createDirectory(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("demo"), elsewhere);
        Draft draft = Draft.defaults();
        draft.clusterName = "demo";
        IOException e = assertThrows(IOException.class, () -> new Autosave(new StateHome(root)).autosave(draft));
        assertTrue(e.getMessage().contains(root.resolve("demo") + " is a symbolic link"), e.getMessage());
        try (var files = Files.list(elsewhere)) {
            assertTrue(files.findAny().isEmpty(), "nothing is written through the link");
        }
    }
}
