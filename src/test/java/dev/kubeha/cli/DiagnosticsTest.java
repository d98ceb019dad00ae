package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.state.StateHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.tinylog.provider.ProviderRegistry;

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

    /** In a fresh JVM with kubeha's own tinylog configuration: what is logged lands in the state root's log. */
    @ParameterizedTest
    @ValueSource(strings = {"root", "a #{user.home} b"})
    void theLogIsTheStateRootsFileWhenSomethingLogs(String name) throws Exception {
        Path root = dir.resolve(name);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtinylog.configuration=tinylog.properties", "-cp", classPath, LogOnce.class.getName(),
                root.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(Files.readString(root.resolve(StateHome.LOG)).contains("INFO [main] DiagnosticsTest$LogOnce: logged once"),
                output);
        assertEquals("rw-------", mode(root.resolve(StateHome.LOG)));
    }

    /** Points the log at a state root, makes it, and logs one line through SLF4J as the libraries do. */
    static final class LogOnce {
        public static void main(String[] args) throws InterruptedException {
            StateHome home = new StateHome(Path.of(args[0]));
            Diagnostics.pointLogAt(home);
            home.ensure();
            LoggerFactory.getLogger(LogOnce.class).info("logged once");
            ProviderRegistry.getLoggingProvider().shutdown();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
