package dev.kubeha.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a standard stream's /proc/self/fd link says about it. */
class TtyTest {
    @TempDir
    Path dir;

    Optional<Boolean> pointingAt(String target) throws IOException {
        Path link = dir.resolve("fd-" + Math.abs(target.hashCode()));
        Files.createSymbolicLink(link, Path.of(target));
        return Tty.of(link);
    }

    @Test
    void terminalsPipesAndFilesAreToldApartAndAnUnreadableLinkSaysNothing() throws IOException {
        assertEquals(Optional.of(true), pointingAt("/dev/pts/3"));
        assertEquals(Optional.of(true), pointingAt("/dev/tty1"));
        assertEquals(Optional.of(true), pointingAt("/dev/console"));
        assertEquals(Optional.of(false), pointingAt("pipe:[4711]"));
        assertEquals(Optional.of(false), pointingAt("/tmp/kubeha-schedule/apply.out"));
        assertEquals(Optional.of(false), pointingAt("/dev/null"));
        assertEquals(Optional.empty(), Tty.of(dir.resolve("no-such-fd")));
    }
}
