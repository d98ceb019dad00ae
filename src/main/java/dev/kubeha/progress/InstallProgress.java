package dev.kubeha.progress;

import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.EventSink;
import dev.kubeha.events.StepOutcome;
import dev.kubeha.plan.Phase;
import dev.kubeha.plan.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Folds engine events into per-host and per-phase progress plus a bounded log per host; safe from any thread. */
public final class InstallProgress implements EventSink {
    public static final int DEFAULT_LOG_LINES = 5000;

    private static final class Host {
        HostState state = HostState.WAITING;
        int index;
        int total;
        int finished;
        String step = "";
        String lastLine = "";
        String error = "";
        Instant started;
        Instant ended;
        final HostLog log;

        Host(int total, int logLines) {
            this.total = total;
            this.log = new HostLog(logLines);
        }
    }

    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, PhaseStatus> phases = new LinkedHashMap<>();
    private final int totalSteps;
    private Instant started;
    private int skipped;
    private EngineEvent.RunFinished end;

    public InstallProgress(Plan plan) {
        this(plan, DEFAULT_LOG_LINES);
    }

    public InstallProgress(Plan plan, int logLines) {
        int total = 0;
        for (Phase phase : plan.phases()) {
            phases.put(phase.name(), new PhaseStatus(phase.name(), phase.title(), PhaseStatus.State.PENDING));
            for (String host : phase.hosts()) {
                hosts.computeIfAbsent(host, h -> new Host(plan.stepCount(h), logLines));
            }
            total += phase.steps().size();
        }
        this.totalSteps = total;
    }

    /** Host names in the order they first appear in the plan. */
    public synchronized List<String> hosts() {
        return List.copyOf(hosts.keySet());
    }

    @Override
    public synchronized void accept(EngineEvent event) {
        if (started == null) {
            started = event.at();
        }
        switch (event) {
            case EngineEvent.PhaseStarted e -> phase(e.phase(), PhaseStatus.State.RUNNING);
            case EngineEvent.PhaseFinished e -> phase(e.phase(), e.ok() ? PhaseStatus.State.DONE
                    : PhaseStatus.State.FAILED);
            case EngineEvent.StepStarted e -> host(e.host()).ifPresent(h -> {
                h.state = HostState.RUNNING;
                h.index = e.index();
                h.total = e.total();
                h.step = e.title();
                h.started = h.started == null ? e.at() : h.started;
                h.ended = null;
                h.log.add("[" + e.index() + "/" + e.total() + "] " + e.title());
            });
            case EngineEvent.CommandStarted e -> host(e.host()).ifPresent(h -> {
                h.lastLine = "$ " + e.command();
                h.log.add("$ " + e.command());
            });
            case EngineEvent.Downloading e -> {
            }
            case EngineEvent.OutputLine e -> host(e.host()).ifPresent(h -> {
                h.lastLine = e.line();
                h.log.add("  " + e.line());
            });
            case EngineEvent.StepFinished e -> host(e.host()).ifPresent(h -> {
                h.finished++;
                skipped += e.outcome() == StepOutcome.SKIPPED ? 1 : 0;
                h.error = "";
                h.state = h.finished >= h.total ? HostState.DONE : HostState.WAITING;
                h.ended = e.at();
                h.log.add("[" + h.index + "/" + h.total + "] " + outcome(e.outcome()) + " (" + Elapsed.took(e.took())
                        + ")");
            });
            case EngineEvent.StepFailed e -> host(e.host()).ifPresent(h -> {
                h.state = HostState.FAILED;
                h.error = e.error();
                h.ended = e.at();
                h.log.add("✗ failed after " + e.attempts() + " attempt" + (e.attempts() == 1 ? "" : "s") + ": "
                        + e.error());
            });
            case EngineEvent.StepRetrying e -> host(e.host()).ifPresent(h -> {
                h.state = HostState.RETRYING;
                h.ended = null;
                h.log.add(retrying(e));
            });
            case EngineEvent.RunFinished e -> {
                end = e;
                for (Host h : hosts.values()) {
                    if (h.state != HostState.DONE && h.state != HostState.FAILED) {
                        h.state = HostState.STOPPED;
                        h.ended = h.ended == null ? e.at() : h.ended;
                    }
                }
            }
        }
    }

    private void phase(String name, PhaseStatus.State state) {
        phases.computeIfPresent(name, (n, p) -> new PhaseStatus(n, p.title(), state));
    }

    private Optional<Host> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    /** How a step's ending reads in a log line. */
    public static String outcome(StepOutcome outcome) {
        return switch (outcome) {
            case APPLIED -> "done";
            case ALREADY_DONE -> "already done";
            case CHECKED -> "checked";
            case JOURNALED -> "done in an earlier run";
            case SKIPPED -> "skipped";
        };
    }

    /** How a retry reads in a log line; attempt 0 is the operator's retry after a failure. */
    public static String retrying(EngineEvent.StepRetrying e) {
        return e.attempt() == 0 ? "↻ retrying at the operator's request"
                : "↻ attempt " + e.attempt() + " failed, retrying in " + Elapsed.took(e.after()) + ": " + e.error();
    }

    public synchronized ProgressSnapshot snapshot(Instant now) {
        List<HostStatus> list = new ArrayList<>();
        int finished = 0;
        for (Map.Entry<String, Host> entry : hosts.entrySet()) {
            Host h = entry.getValue();
            finished += h.finished;
            Duration elapsed = h.started == null ? Duration.ZERO
                    : Duration.between(h.started, h.ended != null && h.state != HostState.WAITING ? h.ended : now);
            list.add(new HostStatus(entry.getKey(), h.state, h.index, h.total, h.finished, h.step, h.lastLine,
                    elapsed, h.error));
        }
        Duration elapsed = started == null ? Duration.ZERO
                : Duration.between(started, end != null ? end.at() : now);
        return new ProgressSnapshot(List.copyOf(phases.values()), List.copyOf(list), finished, skipped, totalSteps,
                elapsed,
                Optional.ofNullable(end));
    }

    /** The host's retained log lines, oldest first, and how many older lines were dropped. */
    public synchronized List<String> log(String host) {
        return host(host).map(h -> h.log.lines()).orElse(List.of());
    }

    public synchronized long droppedLines(String host) {
        return host(host).map(h -> h.log.dropped()).orElse(0L);
    }
}
