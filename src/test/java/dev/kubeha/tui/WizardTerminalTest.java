package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-screen wizard on a real terminal (tmux): it follows a resize, and gives the terminal's settings back as it
 * found them (stty -g before and after) when it quits with F10 or Ctrl-C and when it is hung up on.
 */
@Tag("tools")
class WizardTerminalTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The wizard between two {@code stty -g}, its process id in {@code pid}; "DONE" once the second has run. */
    private Tmux wizard() throws Exception {
        String java = KubehaProcess.shellQuoted(KubehaProcess.command("--state-dir", dir.resolve("state").toString(),
                "--no-probe"));
        String command = "true; stty -g > " + dir.resolve("before") + "; sh -c 'echo $$ > " + dir.resolve("pid")
                + "; exec \"$@\"' sh " + java + " 2>" + dir.resolve("stderr") + "; stty -g > " + dir.resolve("after")
                + "; echo DONE";
        return new Tmux(dir, 80, 24, command);
    }

    private void assertRestored(Tmux tmux) throws Exception {
        tmux.await("the wizard's end", s -> s.contains("DONE"), Duration.ofSeconds(15));
        String before = Files.readString(dir.resolve("before")).strip();
        assertFalse(before.isEmpty());
        assertEquals(before, Files.readString(dir.resolve("after")).strip(), "stty -g before and after the wizard");
    }

    @Test
    void f10GivesTheTerminalBackAsItWas() throws Exception {
        try (Tmux tmux = wizard()) {
            tmux.await("Cluster name", START);
            tmux.send("F10");
            assertRestored(tmux);
        }
        assertEquals("", Files.readString(dir.resolve("stderr")));
    }

    @Test
    void ctrlCQuitsAndGivesTheTerminalBack() throws Exception {
        try (Tmux tmux = wizard()) {
            tmux.await("Cluster name", START);
            tmux.send("C-c");
            assertRestored(tmux);
        }
    }

    @Test
    void aHangUpAutosavesAndGivesTheTerminalBack() throws Exception {
        try (Tmux tmux = wizard()) {
            tmux.await("Cluster name", START);
            tmux.send("x");
            tmux.await("the typed x", t -> t.contains("kubernetesx") || t.contains("xkubernetes"),
                    Duration.ofSeconds(10));
            String pid = Files.readString(dir.resolve("pid")).strip();
            assertEquals(0, new ProcessBuilder("kill", "-HUP", pid).start().waitFor());
            assertRestored(tmux);
        }
        try (var files = Files.walk(dir.resolve("state"))) {
            List<Path> autosaves = files.filter(f -> f.getFileName().toString().endsWith(".autosave.yaml")).toList();
            assertEquals(1, autosaves.size(), autosaves.toString());
            String saved = Files.readString(autosaves.get(0));
            assertTrue(saved.contains("kubernetesx") || saved.contains("xkubernetes"), saved);
        }
    }

    @Test
    void aResizeRedrawsTheWizardAtTheNewSize() throws Exception {
        try (Tmux tmux = wizard()) {
            tmux.await("Cluster name", START);
            tmux.resize(70, 20);
            tmux.await("the terminal is 70x20; the wizard needs at least 80x24", Duration.ofSeconds(10));
            tmux.resize(80, 24);
            tmux.await("the size message gone", s -> s.contains("F10 quit"), Duration.ofSeconds(10));
            tmux.send("F10");
            assertRestored(tmux);
        }
    }
}
