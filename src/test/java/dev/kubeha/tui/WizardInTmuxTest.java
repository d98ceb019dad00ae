package dev.kubeha.tui;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.state.StateHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** Drives the real wizard in tmux from an empty start through every screen to a saved answers file. */
@Tag("tools")
class WizardInTmuxTest {
    static final Path EXPECTED = Path.of("src/test/resources/tui/wizard-answers.yaml");
    static final String ARCHIVE = "/srv/kubeha/etcd-v3.6.9-linux-amd64.tar.gz";
    private static final Duration STEP = Duration.ofSeconds(10);
    private static final boolean CAPTURE = Boolean.getBoolean("kubeha.tui.capture");

    @TempDir
    Path dir;

    /** An etcd archive that exists (the wizard checks the files the install reads), in a test's directory. */
    static Path archive(Path dir) throws IOException {
        Path file = dir.resolve(Path.of(ARCHIVE).getFileName());
        return Files.isRegularFile(file) ? file : Files.writeString(file, "not a real archive");
    }

    /** The expected answers with the archive of {@link #archive}. */
    static String expected(Path dir) throws IOException {
        return Files.readString(EXPECTED).replace(ARCHIVE, archive(dir).toString());
    }

    @ParameterizedTest
    @CsvSource({"80, 24", "200, 60"})
    void fromAnEmptyStartToASavedAnswersFile(int columns, int rows) throws Exception {
        Path out = dir.resolve("answers.yaml");
        Path state = dir.resolve("state");
        String command = KubehaProcess.shellQuoted(KubehaProcess.command("--state-dir", state.toString(),
                "--answers-out", out.toString(), "--no-probe")) + " 2>" + dir.resolve("stderr");
        Map<String, String> screens = new LinkedHashMap<>();
        try (Tmux tmux = new Tmux(dir, columns, rows, command)) {
            screens.put("cluster", tmux.await("step 1/8", Duration.ofSeconds(30)));
            for (int i = 0; i < "kubernetes".length(); i++) {
                tmux.send("BSpace");
            }
            tmux.send("demo");
            tmux.await("cluster demo", STEP);
            tmux.send("NPage");
            screens.put("ssh", tmux.await("step 2/8", STEP));
            tmux.send("NPage");
            tmux.await("step 3/8", STEP);
            tmux.send("Enter");
            tmux.await("Host 1 of 1", STEP);
            host(tmux, "cp1", "192.168.10.11", true);
            tmux.send("IC");
            tmux.await("Host 2 of 2", STEP);
            host(tmux, "cp2", "192.168.10.12", true);
            tmux.send("IC");
            tmux.await("Host 3 of 3", STEP);
            host(tmux, "cp3", "192.168.10.13", false);
            screens.put("hosts", tmux.await("3 hosts", STEP));
            tmux.send("NPage");
            tmux.await("step 4/8", STEP);
            tmux.send("192.168.10.100");
            screens.put("load-balancer", tmux.await("192.168.10.100", STEP));
            tmux.send("NPage");
            screens.put("network", tmux.await("step 5/8", STEP));
            tmux.send("NPage");
            tmux.await("step 6/8", STEP);
            tmux.send("Tab", "Tab", archive(dir).toString());
            screens.put("etcd", tmux.await("6.9-linux-amd64.tar.gz", STEP));
            tmux.send("NPage");
            screens.put("addons", tmux.await("step 7/8", STEP));
            tmux.send("NPage");
            screens.put("review", tmux.await("No problems: the answers are valid.", STEP));
            tmux.send("Enter");
            screens.put("saved", tmux.await("Saved the answers:", STEP));
            tmux.send("Enter");
            tmux.await("KUBEHA-EXIT=0", STEP);
        }
        assertEquals(expected(dir), Files.readString(out), "stderr: " + Files.readString(dir.resolve("stderr")));
        assertEquals(AnswersFile.parse("expected", expected(dir)).spec(), AnswersFile.load(out).spec());
        assertTrue(Files.isRegularFile(state.resolve("demo").resolve(StateHome.AUTOSAVE)));
        if (CAPTURE) {
            for (var e : screens.entrySet()) {
                Files.writeString(Path.of("target", "tui-" + e.getKey() + "-" + columns + "x" + rows + ".txt"),
                        e.getValue());
            }
        }
    }

    private static void host(Tmux tmux, String name, String address, boolean loadBalancer) throws Exception {
        tmux.send(name, "Tab", address, "Tab", "Space", "Tab", "Space", "Tab", "Space", "Tab");
        if (loadBalancer) {
            tmux.send("Space");
        }
        tmux.await(name + " .*", s -> s.lines().anyMatch(l -> l.contains(address) && l.contains(
                loadBalancer ? "cp,w,etcd,lb" : "cp,w,etcd "))
                , STEP);
    }

    @org.junit.jupiter.api.Test
    void quittingWithUnsavedAnswersAsksAndTheNextRunOffersThemBack() throws Exception {
        Path state = dir.resolve("state");
        String command = KubehaProcess.shellQuoted(KubehaProcess.command("--state-dir", state.toString(),
                "--no-probe"));
        try (Tmux tmux = new Tmux(dir, 80, 24, command)) {
            tmux.await("step 1/8", Duration.ofSeconds(30));
            tmux.toAFirstHost(STEP);
            tmux.send("cp1", "Tab", "127.0.0.11");
            tmux.await("1  cp1", STEP);
            tmux.send("C-c");
            tmux.await("not saved to", STEP);
            tmux.send("Escape");
            tmux.await("quit question closed", s -> !s.contains("not saved to"), STEP);
            tmux.send("F10");
            tmux.await("not saved to", STEP);
            tmux.send("Tab", "Tab", "Enter");
            String end = tmux.await("KUBEHA-EXIT=1", STEP);
            assertTrue(end.contains("continue with: kubeha --answers"), end);
        }
        try (Tmux tmux = new Tmux(dir, 80, 24, command)) {
            String offer = tmux.await("Resume?", Duration.ofSeconds(30));
            assertTrue(offer.contains("cluster kubernetes, 1 host"), offer);
            tmux.send("Enter");
            tmux.await("step 1/8", STEP);
            tmux.send("NPage", "NPage");
            tmux.await("1  cp1        127.0.0.11", STEP);
            tmux.send("F10");
            tmux.await("not saved to", STEP);
            tmux.send("Tab", "Enter");
            tmux.await("KUBEHA-EXIT=0", STEP);
        }
    }
}
