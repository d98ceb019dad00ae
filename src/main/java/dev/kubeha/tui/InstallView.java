package dev.kubeha.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;
import dev.kubeha.exec.RunResult;
import dev.kubeha.install.InstallSession;
import dev.kubeha.model.Role;
import dev.kubeha.plan.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Runs an install under the install screen: the engine on its own thread, the screen observing its events. */
public final class InstallView {
    static final long TICK_MILLIS = 100;

    private InstallView() {
    }

    /**
     * Opens the install screen on this terminal, starts {@code engine} with the screen's hooks and returns its result
     * once the operator leaves the final summary.
     */
    public static RunResult run(Plan plan, Map<String, Set<Role>> roles, InstallSummary summary,
                                Map<String, String> env, Function<EngineHooks, RunResult> engine) throws IOException {
        UnixTerminal terminal = new QuickUnixTerminal(System.in, System.out, StandardCharsets.UTF_8);
        TerminalScreen screen = new TerminalScreen(terminal);
        screen.startScreen();
        try {
            MultiWindowTextGUI gui = new MultiWindowTextGUI(screen, new DefaultWindowManager(),
                    new EmptySpace(TextColor.ANSI.DEFAULT));
            return run(gui, new InstallScreen(gui, plan, roles, summary, Palette.fromEnvironment(env),
                    Clock.systemDefaultZone()), engine);
        } finally {
            screen.stopScreen();
        }
    }

    /** Runs {@code plan} in {@code session} under the install screen, one pane per host the plan touches. */
    static RunResult run(InstallSession session, Plan plan, InstallSummary summary, Map<String, String> env)
            throws IOException {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        session.hosts().forEach(h -> roles.put(h.name(), h.roles()));
        return run(plan, roles, summary, env,
                hooks -> session.run(plan, hooks.sink(), hooks.failures(), hooks.cancellation()).result());
    }

    /** Drives an existing install screen on the calling (GUI) thread until its window closes. */
    static RunResult run(WindowBasedTextGUI gui, InstallScreen screen, Function<EngineHooks, RunResult> engine) {
        EngineHooks hooks = screen.hooks();
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        Thread.ofPlatform().name("kubeha-engine").daemon().start(() -> {
            try {
                result.complete(engine.apply(hooks));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                gui.getGUIThread().invokeLater(() -> screen.engineStopped(e));
            }
        });
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubeha-install-redraw");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(screen::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        try {
            gui.waitForWindowToClose(screen.window());
        } finally {
            ticker.shutdownNow();
        }
        hooks.cancellation().request();
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
