package dev.kubeha.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.RunFailure;
import dev.kubeha.events.StepOutcome;
import dev.kubeha.plan.Phase;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.RunCommand;
import dev.kubeha.plan.Step;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain headless log of a scripted run: one timestamped line per step outcome, failures and the end. */
class HeadlessProgressTest {
    private static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

    private static Step step(String id, String title, String host) {
        return Step.of(id, title, host, List.of(RunCommand.always("true")));
    }

    @Test
    void plainLinesForAScriptedRun() throws Exception {
        Plan plan = new Plan(List.of(Phase.parallel("prepare", "Prepare hosts", List.of(
                step("os", "Install base packages", "cp1"), step("os", "Install base packages", "worker-1"),
                step("containerd", "Install containerd", "cp1")))));
        StringWriter text = new StringWriter();
        try (HeadlessProgress progress = HeadlessProgress.plain(plan, new PrintWriter(text), ZoneOffset.UTC)) {
            progress.accept(new EngineEvent.PhaseStarted(T0, "prepare", "Prepare hosts", List.of("cp1", "worker-1")));
            progress.accept(new EngineEvent.StepStarted(T0, "cp1", "os", "Install base packages", 1, 2));
            progress.accept(new EngineEvent.StepStarted(T0, "worker-1", "os", "Install base packages", 1, 1));
            progress.accept(new EngineEvent.OutputLine(T0.plusSeconds(1), "cp1", "os", "Reading package lists..."));
            progress.accept(new EngineEvent.StepFinished(T0.plusMillis(1200), "cp1", "os", StepOutcome.APPLIED,
                    Duration.ofMillis(1200)));
            progress.accept(new EngineEvent.StepRetrying(T0.plusSeconds(2), "worker-1", "os",
                    "worker-1: connection dropped", 1, Duration.ofSeconds(2)));
            progress.accept(new EngineEvent.StepFailed(T0.plusSeconds(9), "worker-1", "os",
                    "`apt-get install -y curl` exited 100: E: Unable to locate package curl", 2));
            progress.accept(new EngineEvent.StepStarted(T0.plusSeconds(2), "cp1", "containerd", "Install containerd",
                    2, 2));
            progress.accept(new EngineEvent.StepFinished(T0.plusSeconds(3), "cp1", "containerd",
                    StepOutcome.ALREADY_DONE, Duration.ofMillis(300)));
            progress.accept(new EngineEvent.PhaseFinished(T0.plusSeconds(9), "prepare", false));
            progress.accept(new EngineEvent.RunFinished(T0.plusSeconds(9), false, false,
                    List.of(new RunFailure.Step("worker-1", "os", "Install base packages", "`apt-get install -y curl` exited 100"))));
        }
        assertEquals("""
                09:00:00 == Prepare hosts (cp1, worker-1)
                09:00:01 cp1       [1/2] Install base packages … done (1.2s)
                09:00:02 worker-1  [1/1] Install base packages … attempt 1 failed, retrying in 2.0s: worker-1: \
                connection dropped
                09:00:09 worker-1  [1/1] Install base packages … FAILED after 2 attempts: `apt-get install -y curl` \
                exited 100: E: Unable to locate package curl
                09:00:03 cp1       [2/2] Install containerd … already done (0.3s)
                09:00:09 == phase prepare failed
                09:00:09 run failed: 1 failure
                09:00:09   worker-1: Install base packages (os): `apt-get install -y curl` exited 100
                """, text.toString());
    }

    @Test
    void stepsOfTwoLanesOnOneHostEndOnTheirOwnLines() throws Exception {
        Plan plan = new Plan(List.of(Phase.parallel("lb", "Load balancer", List.of(step("haproxy", "Start haproxy",
                "cp1"))), Phase.parallel("packages", "Packages", List.of(step("download", "Download", "cp1")))
                .inLane("kubernetes")));
        StringWriter text = new StringWriter();
        try (HeadlessProgress progress = HeadlessProgress.plain(plan, new PrintWriter(text), ZoneOffset.UTC)) {
            progress.accept(new EngineEvent.StepStarted(T0, "cp1", "haproxy", "Start haproxy", 1, 2));
            progress.accept(new EngineEvent.StepStarted(T0, "cp1", "download", "Download", 2, 2));
            progress.accept(new EngineEvent.StepFinished(T0.plusSeconds(1), "cp1", "haproxy", StepOutcome.APPLIED,
                    Duration.ofSeconds(1)));
            progress.accept(new EngineEvent.StepFinished(T0.plusSeconds(3), "cp1", "download", StepOutcome.APPLIED,
                    Duration.ofSeconds(3)));
        }
        assertEquals("""
                09:00:01 cp1  [1/2] Start haproxy … done (1.0s)
                09:00:03 cp1  [2/2] Download … done (3.0s)
                """, text.toString());
    }

    @Test
    void theStatusLineOfAHostShowsItsBarStepAndState() {
        Plan plan = new Plan(List.of(Phase.parallel("prepare", "Prepare hosts", List.of(
                step("os", "Install base packages", "cp1"), step("containerd", "Install containerd", "cp1")))));
        InstallProgress progress = new InstallProgress(plan);
        progress.accept(new EngineEvent.StepStarted(T0, "cp1", "os", "Install base packages", 1, 2));
        progress.accept(new EngineEvent.StepFinished(T0.plusSeconds(5), "cp1", "os", StepOutcome.APPLIED,
                Duration.ofSeconds(5)));
        progress.accept(new EngineEvent.StepStarted(T0.plusSeconds(5), "cp1", "containerd", "Install containerd", 2,
                2));
        HostStatus cp1 = progress.snapshot(T0.plusSeconds(65)).hosts().get(0);
        HeadlessProgress headless = HeadlessProgress.plain(plan, new PrintWriter(new StringWriter()), ZoneOffset.UTC);
        assertEquals("cp1 [#####......]  50% 1:05 running  2/2 Install containerd", headless.statusLine(cp1, 80));
        assertEquals("cp1 [#####......]  50% 1:05 running  2/2 Install cont…", headless.statusLine(cp1, 54));
    }
}
