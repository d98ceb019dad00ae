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

    @Test
    void refusesASymlinkedClusterDirectoryOrStateRoot() throws IOException {
        Path elsewhere = Files.createDirectory(home.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path stateRoot = Files.createDirectory(home.resolve("root"));
        Path cluster = Files.createSymbolicLink(stateRoot.resolve("prod"), elsewhere);
        StateException e = assertThrows(StateException.class, () -> StateDir.at(cluster).ensure());
        assertTrue(e.getMessage().contains(cluster + " is a symbolic link"), e.getMessage());

        Path linkedRoot = Files.createSymbolicLink(home.resolve("linked-root"), stateRoot);
        e = assertThrows(StateException.class, () -> StateDir.at(linkedRoot.resolve("prod2")).ensure());
        assertTrue(e.getMessage().contains(linkedRoot + " is a symbolic link"), e.getMessage());

        StateDir dir = StateDir.at(Files.createDirectory(stateRoot.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        Files.createSymbolicLink(dir.root().resolve("pki"), elsewhere);
        e = assertThrows(StateException.class, () -> dir.subdir("pki/etcd"));
        assertTrue(e.getMessage().contains("pki is a symbolic link"), e.getMessage());
        Files.createSymbolicLink(dir.root().resolve("secrets"), elsewhere.resolve("planted"));
        Files.writeString(elsewhere.resolve("planted"), "x");
        Files.setPosixFilePermissions(elsewhere.resolve("planted"), PosixFilePermissions.fromString("rw-------"));
        assertThrows(StateException.class, () -> dir.readPrivate(dir.root().resolve("secrets")));
    }

    @Test
    void refusesDirectoriesAndFilesOwnedBySomeoneElse() throws IOException {
        StateDir mine = StateDir.at(home.resolve("root/prod"));
        mine.ensure();
        Path file = mine.root().resolve("secrets");
        mine.writePrivate(file, "x".getBytes(StandardCharsets.UTF_8));
        int me = (Integer) Files.getAttribute(mine.root(), "unix:uid");
        StateDir asSomeoneElse = StateDir.at(mine.root(), me + 1);
        StateException e = assertThrows(StateException.class, asSomeoneElse::ensure);
        assertTrue(e.getMessage().contains("owned by uid " + me) && e.getMessage().contains("not by you"),
                e.getMessage());
        assertThrows(StateException.class, () -> asSomeoneElse.readPrivate(file));
    }

    @Test
    void refusesAStateRootOthersCanWriteOrAParentOthersCanWriteWithoutTheStickyBit() throws IOException {
        Path stateRoot = Files.createDirectory(home.resolve("root"));
        Files.setPosixFilePermissions(stateRoot, PosixFilePermissions.fromString("rwxrwxr-x"));
        StateException e = assertThrows(StateException.class, () -> StateDir.at(stateRoot.resolve("prod")).ensure());
        assertTrue(e.getMessage().contains(stateRoot + " is writable by group or others"), e.getMessage());
        Files.setPosixFilePermissions(stateRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        StateDir.at(stateRoot.resolve("prod")).ensure();

        Path shared = Files.createDirectory(home.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        e = assertThrows(StateException.class, () -> StateDir.at(shared.resolve("root/prod")).ensure());
        assertTrue(e.getMessage().contains(shared + " is writable by others"), e.getMessage());
        Files.setAttribute(shared, "unix:mode", 01777);
        StateDir.at(shared.resolve("root/prod")).ensure();
    }

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
