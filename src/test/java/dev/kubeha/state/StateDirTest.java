package dev.kubeha.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {
    @TempDir
    Path home;

    @Test
    void defaultDirectoryIsCreatedPrivateUnderDotKubeha() throws IOException {
        StateDir dir = StateDir.defaultFor(home, "prod");
        assertEquals(home.resolve(".kubeha/prod"), dir.root());
        dir.ensure();
        assertEquals("rwx------", mode(dir.root()));
        assertEquals("rwx------", mode(home.resolve(".kubeha")));
        assertEquals("rwx------", mode(dir.subdir("pki/etcd")));
        assertEquals("rwx------", mode(dir.root().resolve("pki")));
    }

    @Test
    void refusesAnExistingDirectoryOthersCanEnter() throws IOException {
        Path shared = Files.createDirectory(home.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        StateException e = assertThrows(StateException.class, () -> StateDir.at(shared).ensure());
        assertTrue(e.getMessage().contains(shared.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("mode 0755"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 700"), e.getMessage());
        assertEquals("rwxr-xr-x", mode(shared), "kubeha must not silently change the operator's directory");
    }

    @Test
    void refusesAClusterNameThatIsAPath() {
        assertThrows(StateException.class, () -> StateDir.defaultFor(home, "../elsewhere"));
        assertThrows(StateException.class, () -> StateDir.defaultFor(home, "a/b"));
    }

    @Test
    void privateFilesAre0600AndReplacedAtomically() throws IOException {
        StateDir dir = StateDir.at(home.resolve("state"));
        Path file = dir.ensure().resolve("f");
        dir.writePrivate(file, "one".getBytes(StandardCharsets.UTF_8));
        dir.writePrivate(file, "two".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", mode(file));
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), dir.readPrivate(file).orElseThrow());
        try (var listing = Files.list(dir.root())) {
            assertEquals(1, listing.count(), "no temporary file is left behind");
        }
        assertEquals(Optional.empty(), dir.readPrivate(dir.root().resolve("missing")));
    }

    @Test
    void refusesToReadAStateFileOthersCanRead() throws IOException {
        StateDir dir = StateDir.at(home.resolve("state"));
        Path file = dir.ensure().resolve("secrets");
        Files.writeString(file, "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        StateException e = assertThrows(StateException.class, () -> dir.readPrivate(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("0644"), e.getMessage());
    }

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
