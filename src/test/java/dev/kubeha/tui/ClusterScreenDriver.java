package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.kubeha.install.ClusterStatus;
import dev.kubeha.install.HostSurvey;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The Cluster screen on Lanterna's in-memory terminal, with no host reached: keys typed, the screen's text awaited. */
final class ClusterScreenDriver implements AutoCloseable {
    final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(160, 45));
    private final ClusterSpec spec;
    private final TerminalScreen screen;
    private final CompletableFuture<Optional<ClusterAction.Chosen>> chosen = new CompletableFuture<>();

    ClusterScreenDriver(ClusterSpec spec, List<ClusterAction> actions) throws IOException {
        this.spec = spec;
        screen = new TerminalScreen(terminal);
        screen.startScreen();
        Thread.ofPlatform().daemon().start(() -> chosen.complete(new ClusterView(new MultiWindowTextGUI(screen),
                spec, actions, new Palette(false)).run(this::unreachable)));
    }

    /** What the operator agreed to when the screen closed. */
    Optional<ClusterAction.Chosen> chosen() throws Exception {
        return chosen.get(10, TimeUnit.SECONDS);
    }

    void type(String text) {
        for (char c : text.toCharArray()) {
            terminal.addInput(new KeyStroke(c, false, false));
        }
    }

    void enter(int times) {
        for (int i = 0; i < times; i++) {
            press(KeyType.Enter);
        }
    }

    void press(KeyType key) {
        terminal.addInput(new KeyStroke(key));
    }

    /** The screen once it shows {@code text} and has stopped changing. */
    String await(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String shown = "";
        while (System.nanoTime() < deadline) {
            String before = shown;
            shown = VirtualWizard.text(terminal);
            if (shown.contains(text) && shown.equals(before)) {
                return shown;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' on the screen:\n" + shown);
    }

    private ClusterStatus unreachable() {
        Map<String, Optional<HostSurvey.Report>> hosts = new LinkedHashMap<>();
        Map<String, String> why = new LinkedHashMap<>();
        for (HostSpec host : spec.hosts()) {
            hosts.put(host.name(), Optional.empty());
            why.put(host.name(), "not asked in this test");
        }
        return new ClusterStatus(spec, Instant.parse("2026-12-01T00:00:00Z"), hosts, why, "not asked", false,
                List.of(), Optional.empty());
    }

    @Override
    public void close() throws IOException {
        screen.stopScreen();
    }
}
