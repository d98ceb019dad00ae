package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.state.StateHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsTest {
    @TempDir
    Path dir;

    @Test
    void theStateRootComesFromStateDirWhereverItIsGiven() {
        Path s = dir.resolve("s");
        assertEquals(s, Diagnostics.home(List.of("plan", "-f", "a.yaml", "--state-dir", s.toString()), Map.of()).root());
        assertEquals(s, Diagnostics.home(List.of("--state-dir=" + s, "--plain"), Map.of()).root());
        assertEquals(s, Diagnostics.home(List.of("validate", "-f", "a.yaml"),
                Map.of(StateHome.ENV, s.toString())).root());
        assertEquals(Path.of(System.getProperty("user.home"), ".kubeha"),
                Diagnostics.home(List.of("version"), Map.of()).root());
    }

    @Test
    void crashReportsArePrivateFilesOfTheStateRoot() throws IOException {
        StateHome home = new StateHome(dir.resolve("root"));
        String where = Diagnostics.saveCrashReport(new IllegalStateException("boom"), home);
        Path report = Path.of(where);
        assertEquals(home.root().resolve("crash"), report.getParent());
        assertTrue(Files.readString(report).contains("java.lang.IllegalStateException: boom"));
        assertEquals("rw-------", mode(report));
        assertEquals("rwx------", mode(report.getParent()));
        assertEquals("rwx------", mode(home.root()));
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
