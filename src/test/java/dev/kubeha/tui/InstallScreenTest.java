package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.EventSink;
import dev.kubeha.events.RunFailure;
import dev.kubeha.events.StepOutcome;
import dev.kubeha.exec.FailureHandler;
import dev.kubeha.model.Role;
import dev.kubeha.plan.Need;
import dev.kubeha.plan.Phase;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.RunCommand;
import dev.kubeha.plan.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The install screen on Lanterna's virtual terminal, fed a scripted run of a small plan, against snapshots. */
class InstallScreenTest {
    static final boolean REGENERATE = Boolean.getBoolean("kubeha.snapshots.regenerate");
    static final Path SNAPSHOTS = Path.of("src/test/resources/tui");
    static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");
    static final InstallSummary SUMMARY = new InstallSummary("demo", "192.168.10.100:16443",
            Optional.of(Path.of("/root/.kube/kubeha-demo.conf")), List.of("export KUBECONFIG=/root/.kube/kubeha-demo.conf",
            "kubectl get nodes -o wide"), Path.of("/root/.local/state/kubeha/demo/answers.yaml"));

    /**
     * A small plan: every host prepared in parallel, etcd on each control plane once it is prepared, control planes
     * one at a time once etcd is up, workers after them.
     */
    static Plan plan(List<String> controlPlanes, List<String> workers) {
        List<Step> prepare = new ArrayList<>();
        List<String> all = new ArrayList<>(controlPlanes);
        all.addAll(workers);
        for (String host : all) {
            prepare.add(step("os.packages", "Install base packages", host));
            prepare.add(step("runtime.containerd", "Install containerd", host));
        }
        List<Step> etcd = controlPlanes.stream().map(h -> step("etcd.member", "Start the etcd member", h)).toList();
        List<Step> join = controlPlanes.stream().map(h -> step("kubeadm.join", "Join the control plane", h)).toList();
        List<Step> workerJoin = workers.stream().map(h -> step("kubeadm.join", "Join as a worker", h)).toList();
        return new Plan(List.of(Phase.parallel("prepare", "Prepare hosts", prepare),
                Phase.parallel("etcd", "etcd cluster", etcd).needing(List.of(Need.onSameHost("prepare"))),
                Phase.serial("control-plane", "Control planes", join).needing(List.of(Need.everywhere("etcd"))),
                Phase.parallel("workers", "Workers", workerJoin).needing(List.of(Need.onSameHost("prepare"),
                        Need.everywhere("control-plane")))));
    }

    static Step step(String id, String title, String host) {
        return Step.of(id, title, host, List.of(RunCommand.unless("has-flag " + id, "touch-flag " + id)));
    }

    static Map<String, Set<Role>> roles(Plan plan) {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        for (Phase p : plan.phases()) {
            for (String h : p.hosts()) {
                roles.put(h, h.startsWith("cp") ? Set.of(Role.CONTROL_PLANE, Role.ETCD, Role.LOAD_BALANCER)
                        : Set.of(Role.WORKER));
            }
        }
        return roles;
    }

    /** The install screen on an in-memory terminal at a fixed clock, driven from the test thread. */
    static final class Harness implements AutoCloseable {
        final DefaultVirtualTerminal terminal;
        final MultiWindowTextGUI gui;
        final InstallScreen screen;
        final EventSink sink;
        private final TerminalScreen lanterna;

        Harness(int columns, int rows, Plan plan, Clock clock) throws IOException {
            terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
            lanterna = new TerminalScreen(terminal);
            lanterna.startScreen();
            gui = new MultiWindowTextGUI(lanterna);
            screen = new InstallScreen(gui, plan, roles(plan), SUMMARY, new Palette(false), clock);
            sink = screen.hooks().sink();
        }

        void keys(KeyStroke... keys) throws IOException {
            for (KeyStroke key : keys) {
                terminal.addInput(key);
                gui.getGUIThread().processEventsAndUpdate();
            }
        }

        void key(char c) throws IOException {
            keys(new KeyStroke(c, false, false));
        }

        String text() throws IOException {
            screen.tick();
            gui.getGUIThread().processEventsAndUpdate();
            gui.updateScreen();
            return VirtualWizard.text(terminal);
        }

        @Override
        public void close() throws IOException {
            lanterna.stopScreen();
        }
    }

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Prepare done on cp1, cp2 in its second step with output, cp3 failed-free but slow, w1 waiting. */
    static void midRun(EventSink sink) {
        sink.accept(new EngineEvent.PhaseStarted(at(0), "prepare", "Prepare hosts", List.of("cp1", "cp2", "cp3",
                "w1")));
        finished(sink, "cp1", "os.packages", "Install base packages", 1, 4, 0, 20);
        finished(sink, "cp1", "runtime.containerd", "Install containerd", 2, 4, 20, 41);
        finished(sink, "cp2", "os.packages", "Install base packages", 1, 4, 0, 25);
        sink.accept(new EngineEvent.StepStarted(at(25), "cp2", "runtime.containerd", "Install containerd", 2, 4));
        sink.accept(new EngineEvent.CommandStarted(at(25), "cp2", "runtime.containerd", "touch-flag containerd"));
        for (int i = 1; i <= 40; i++) {
            sink.accept(new EngineEvent.OutputLine(at(26), "cp2", "runtime.containerd", "Unpacking layer " + i
                    + " of 40 ..."));
        }
        sink.accept(new EngineEvent.StepStarted(at(1), "cp3", "os.packages", "Install base packages", 1, 4));
        sink.accept(new EngineEvent.StepRetrying(at(30), "cp3", "os.packages", "cp3: connection dropped", 1,
                Duration.ofSeconds(2)));
    }

    static void finished(EventSink sink, String host, String id, String title, int index, int total, int from,
                         int to) {
        sink.accept(new EngineEvent.StepStarted(at(from), host, id, title, index, total));
        sink.accept(new EngineEvent.CommandStarted(at(from), host, id, "touch-flag " + id));
        sink.accept(new EngineEvent.OutputLine(at(to), host, id, "did " + id));
        sink.accept(new EngineEvent.StepFinished(at(to), host, id, StepOutcome.APPLIED,
                Duration.ofSeconds(to - from)));
    }

    /** Every phase and step of the plan finishing, one second per step, with one step skipped. */
    static void wholeRun(EventSink sink, Plan plan, String skipHost, String skipStep) {
        int second = 0;
        Map<String, Integer> index = new LinkedHashMap<>();
        for (Phase p : plan.phases()) {
            sink.accept(new EngineEvent.PhaseStarted(at(second), p.name(), p.title(), List.copyOf(p.hosts())));
            for (Step s : p.steps()) {
                int k = index.merge(s.host(), 1, Integer::sum);
                int total = plan.stepCount(s.host());
                if (s.host().equals(skipHost) && s.id().equals(skipStep)) {
                    sink.accept(new EngineEvent.StepStarted(at(second), s.host(), s.id(), s.title(), k, total));
                    sink.accept(new EngineEvent.StepFinished(at(second + 1), s.host(), s.id(), StepOutcome.SKIPPED,
                            Duration.ofSeconds(1)));
                } else {
                    finished(sink, s.host(), s.id(), s.title(), k, total, second, second + 1);
                }
                second++;
            }
            sink.accept(new EngineEvent.PhaseFinished(at(second), p.name(), true));
        }
    }

    static Clock clockAt(int seconds) {
        return Clock.fixed(at(seconds), ZoneOffset.UTC);
    }

    static void assertSnapshot(String name, String actual) throws IOException {
        Path file = SNAPSHOTS.resolve(name);
        if (REGENERATE) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "snapshot " + file
                + " (run with -Dkubeha.snapshots.regenerate=true after checking the change)");
    }

    @ParameterizedTest
    @CsvSource({"80, 24", "160, 48"})
    void panesShowEachNodesStepBarAndLastLine(int columns, int rows) throws IOException {
        Plan plan = plan(List.of("cp1", "cp2", "cp3"), List.of("w1"));
        try (Harness h = new Harness(columns, rows, plan, clockAt(72))) {
            midRun(h.sink);
            String text = h.text();
            assertTrue(text.contains("2/4 Install containerd"), text);
            assertTrue(text.contains("Unpacking layer 40 of 40"), text);
            assertSnapshot("install-panes-" + columns + "x" + rows + ".txt", text);
        }
    }

    @Test
    void phasesThatRunAtOnceShowSideBySide() throws IOException {
        Plan plan = plan(List.of("cp1", "cp2", "cp3"), List.of("w1"));
        try (Harness h = new Harness(80, 24, plan, clockAt(30))) {
            h.sink.accept(new EngineEvent.PhaseStarted(at(0), "prepare", "Prepare hosts", List.of("cp1", "cp2", "cp3",
                    "w1")));
            finished(h.sink, "cp1", "os.packages", "Install base packages", 1, 4, 0, 10);
            finished(h.sink, "cp1", "runtime.containerd", "Install containerd", 2, 4, 10, 20);
            h.sink.accept(new EngineEvent.PhaseStarted(at(20), "etcd", "etcd cluster", List.of("cp1", "cp2", "cp3")));
            List<String> lines = h.text().lines().toList();
            assertEquals(" [▶ Prepare hosts] [▶ etcd cluster] · Control planes  · Workers", lines.get(1).stripTrailing());
            assertTrue(lines.get(2).endsWith("Prepare hosts · etcd cluster"), lines.get(2));
            h.terminal.setTerminalSize(new TerminalSize(36, 24));
            assertEquals(" [▶ prepare] [▶ etcd] · ·", h.text().lines().toList().get(1).stripTrailing());
        }
    }

    @Test
    void moreNodesThanFitScrollWithTheSelection() throws IOException {
        List<String> workers = List.of("w1", "w2", "w3", "w4", "w5", "w6");
        try (Harness h = new Harness(80, 24, plan(List.of("cp1", "cp2", "cp3"), workers), clockAt(5))) {
            String text = h.text();
            assertTrue(text.contains("nodes 1-6 of 9"), text);
            assertFalse(text.contains(" w4 "), text);
            h.keys(new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.ArrowDown),
                    new KeyStroke(KeyType.ArrowDown));
            text = h.text();
            assertTrue(text.contains("nodes 3-8 of 9"), text);
            assertTrue(text.contains("╔ w4 "), text);
            h.terminal.setTerminalSize(new TerminalSize(160, 48));
            text = h.text();
            assertFalse(text.contains("nodes "), text);
            assertTrue(text.contains("┌ cp1 ") && text.contains("┌ w6 "), text);
            assertEquals(2, h.screen.layout(new TerminalSize(160, 48)).columns());
        }
    }

    @Test
    void enterOpensTheNodesLiveLogAndEscReturns() throws IOException {
        Plan plan = plan(List.of("cp1", "cp2", "cp3"), List.of("w1"));
        try (Harness h = new Harness(80, 24, plan, clockAt(72))) {
            midRun(h.sink);
            h.keys(new KeyStroke(KeyType.ArrowRight), new KeyStroke(KeyType.Enter));
            String text = h.text();
            assertSnapshot("install-log-80x24.txt", text);
            h.sink.accept(new EngineEvent.OutputLine(at(73), "cp2", "runtime.containerd", "a fresh line"));
            assertTrue(h.text().contains("a fresh line"), h.text());
            h.keys(new KeyStroke(KeyType.Home));
            assertTrue(h.text().contains("lines 1-17 of 47"), h.text());
            assertTrue(h.text().contains("[1/4] Install base packages"), h.text());
            h.keys(new KeyStroke(KeyType.End));
            assertTrue(h.text().contains("a fresh line"), h.text());
            h.keys(new KeyStroke(KeyType.Escape));
            assertEquals(InstallScreen.View.PANES, h.screen.view());
        }
    }

    @Test
    void aFailureBlocksTheWorkerUntilTheOperatorChooses() throws Exception {
        Plan plan = plan(List.of("cp1", "cp2", "cp3"), List.of("w1"));
        try (Harness h = new Harness(80, 24, plan, clockAt(72))) {
            midRun(h.sink);
            Step failing = plan.phases().get(0).stepsOf("cp2").get(1);
            String error = "`touch-flag runtime.containerd` exited 3: E: Unable to locate package containerd.io";
            h.sink.accept(new EngineEvent.StepFailed(at(70), "cp2", failing.id(), error, 1));
            FailureHandler handler = h.screen.hooks().failures();
            CompletableFuture<FailureHandler.Decision> decision = CompletableFuture.supplyAsync(
                    () -> handler.decide(failing, error));
            String text = h.text();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!text.contains("Step failed on cp2") && System.nanoTime() < deadline) {
                Thread.sleep(10);
                text = h.text();
            }
            assertSnapshot("install-failure-80x24.txt", text);
            Thread.sleep(200);
            assertFalse(decision.isDone(), "the worker must wait for the operator");
            h.key('s');
            assertEquals(FailureHandler.Decision.SKIP, decision.get(5, TimeUnit.SECONDS));
            assertFalse(h.text().contains("Step failed on"), h.text());

            CompletableFuture<FailureHandler.Decision> again = CompletableFuture.supplyAsync(
                    () -> handler.decide(failing, error));
            while (!h.text().contains("Step failed on cp2") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(again.isDone());
            h.keys(new KeyStroke(KeyType.Enter));
            assertEquals(FailureHandler.Decision.RETRY, again.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void ctrlCCancelsTheRunAndAnswersOpenPromptsWithAbort() throws Exception {
        Plan plan = plan(List.of("cp1"), List.of());
        try (Harness h = new Harness(80, 24, plan, clockAt(3))) {
            Step failing = plan.phases().get(0).steps().get(0);
            CompletableFuture<FailureHandler.Decision> decision = CompletableFuture.supplyAsync(
                    () -> h.screen.hooks().failures().decide(failing, "boom"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!h.text().contains("Step failed on cp1") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            h.keys(new KeyStroke('c', true, false));
            assertEquals(FailureHandler.Decision.ABORT, decision.get(5, TimeUnit.SECONDS));
            assertTrue(h.screen.hooks().cancellation().requested());
            assertTrue(h.text().contains("cancelling: the steps in flight finish"), h.text());
        }
    }

    @Test
    void theEndShowsTheSummaryAndEnterCloses() throws IOException {
        Plan plan = plan(List.of("cp1", "cp2", "cp3"), List.of("w1"));
        try (Harness h = new Harness(80, 24, plan, clockAt(400))) {
            wholeRun(h.sink, plan, "cp3", "os.packages");
            h.sink.accept(new EngineEvent.RunFinished(at(377), true, false, List.of()));
            String text = h.text();
            assertSnapshot("install-summary-80x24.txt", text);
            h.keys(new KeyStroke(KeyType.Escape));
            assertTrue(h.text().contains("┌ w1  w "), h.text());
            h.key('s');
            h.keys(new KeyStroke(KeyType.Enter));
            assertFalse(h.gui.getWindows().contains(h.screen.window()));
        }
    }

    @Test
    void aFailedRunListsItsFailuresInTheSummary() throws IOException {
        Plan plan = plan(List.of("cp1", "cp2", "cp3"), List.of("w1"));
        try (Harness h = new Harness(80, 24, plan, clockAt(100))) {
            midRun(h.sink);
            h.sink.accept(new EngineEvent.RunFinished(at(90), false, false,
                    List.of(new RunFailure.Step("cp2", "runtime.containerd", "Install containerd", "`touch-flag x` exited 3"))));
            String text = h.text();
            assertTrue(text.contains("The install stopped: 1 failure"), text);
            assertTrue(text.contains("✗ cp2: Install containerd (runtime.containerd)"), text);
            assertTrue(text.contains("kubeha apply -f /root/.local/state/kubeha/demo/answers.yaml"), text);
        }
    }
}
