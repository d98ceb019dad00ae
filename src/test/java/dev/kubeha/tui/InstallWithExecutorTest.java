package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.exec.Executor;
import dev.kubeha.exec.FakeHost;
import dev.kubeha.exec.Journal;
import dev.kubeha.exec.Redactor;
import dev.kubeha.exec.RunResult;
import dev.kubeha.plan.Plan;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real executor on in-memory hosts drives the install screen through a failure prompt to the summary. */
class InstallWithExecutorTest {
    @TempDir
    Path dir;

    @Test
    void theRealExecutorRunsUnderTheScreenToTheSummary() throws Exception {
        Plan plan = InstallScreenTest.plan(List.of("cp1", "cp2", "cp3"), List.of("w1"));
        Map<String, FakeHost> hosts = plan.phases().stream().flatMap(p -> p.hosts().stream()).distinct()
                .collect(Collectors.toMap(Function.identity(), FakeHost::new));
        hosts.get("cp2").failing.add("etcd.member");
        try (InstallScreenTest.Harness h = new InstallScreenTest.Harness(80, 24, plan, Clock.systemUTC())) {
            Function<EngineHooks, RunResult> engine = hooks -> new Executor(hosts::get,
                    new Journal(dir.resolve("journal"), Clock.systemUTC()), hooks.sink(), Redactor.none(),
                    Clock.systemUTC(), new Executor.Settings(4, Duration.ofMillis(1)), hooks.failures())
                    .run(plan, hooks.cancellation());
            CompletableFuture<String> operator = CompletableFuture.supplyAsync(() -> {
                try {
                    awaitScreen(h, "Step failed on cp2");
                    assertTrue(hosts.get("cp2").flags.contains("runtime.containerd"));
                    assertTrue(!hosts.get("cp1").flags.contains("kubeadm.join"), "the control planes wait for etcd");
                    hosts.get("cp2").failing.clear();
                    h.terminal.addInput(new KeyStroke(KeyType.Enter));
                    String summary = awaitScreen(h, "open in wizard");
                    h.terminal.addInput(new KeyStroke(KeyType.Enter));
                    return summary;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            RunResult run = InstallView.run(h.gui, h.screen, engine);
            String summary = operator.get(10, TimeUnit.SECONDS);
            assertTrue(summary.contains("The cluster demo is installed."), summary);
            assertTrue(summary.contains("took "), summary);
            assertTrue(summary.contains("15 of 15 steps done"), summary);
            assertTrue(run.ok(), run.toString());
            assertEquals(List.of(), run.failures());
            assertTrue(hosts.get("cp2").flags.contains("etcd.member"));
            assertTrue(hosts.get("w1").flags.contains("kubeadm.join"));
        }
    }

    /** Waits until the screen the GUI thread drew shows the text; the GUI loop runs on the view's own thread. */
    private static String awaitScreen(InstallScreenTest.Harness h, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String shown = VirtualWizard.text(h.terminal);
        while (!shown.contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for '" + text + "'; the screen was:\n" + shown);
            }
            Thread.sleep(20);
            shown = VirtualWizard.text(h.terminal);
        }
        return shown;
    }
}
