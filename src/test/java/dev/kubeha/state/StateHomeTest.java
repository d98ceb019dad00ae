package dev.kubeha.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateHomeTest {
    @TempDir
    Path dir;

    @Test
    void theLogIsAPrivateFileOfTheStateRootFromTheFirstUse() throws IOException {
        StateHome home = StateHome.resolve(dir.resolve("root"), Map.of());
        assertEquals(dir.resolve("root/kubeha.log"), home.log());
        StateDir.at(home.clusterDir("prod")).ensure();
        assertTrue(Files.isRegularFile(home.log()), "created before anything is logged, so it is never 0644");
        assertEquals("rw-------", StateDirTest.mode(home.log()));

        Files.setPosixFilePermissions(home.log(), PosixFilePermissions.fromString("rw-r--r--"));
        home.ensure();
        assertEquals("rw-------", StateDirTest.mode(home.log()), "a log an older kubeha left readable is closed");
    }

    @Test
    void aLogThatIsALinkIsRefused() throws IOException {
        StateHome home = StateHome.resolve(dir.resolve("root"), Map.of());
        Files.createDirectory(home.root());
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "");
        Files.createSymbolicLink(home.log(), elsewhere);
        StateException e = assertThrows(StateException.class, home::ensure);
        assertTrue(e.getMessage().contains(home.log() + " is a symbolic link"), e.getMessage());
    }
}
