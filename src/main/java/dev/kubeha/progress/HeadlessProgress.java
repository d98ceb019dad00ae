package dev.kubeha.progress;

import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.EventSink;
import dev.kubeha.plan.Plan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/** Progress of a run without the TUI: timestamped log lines, and on a real terminal a live line per host. */
public final class HeadlessProgress implements EventSink, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Duration STATUS_EVERY = Duration.ofMillis(100);

    private record Current(int index, int total, String title) {
    }

    private final PrintWriter out;
    private final ZoneId zone;
    private final InstallProgress progress;
    private final int hostWidth;
    private final Map<String, Current> current = new HashMap<>();
    private final Optional<Terminal> terminal;
    private final Optional<Status> status;
    private final Clock clock;
    private Instant statusShown = Instant.MIN;
    private Optional<Terminal> owned = Optional.empty();

    private HeadlessProgress(Plan plan, PrintWriter out, ZoneId zone, Optional<Terminal> terminal, Clock clock) {
        this.out = out;
        this.zone = zone;
        this.clock = clock;
        this.progress = new InstallProgress(plan, 1);
        this.hostWidth = progress.hosts().stream().mapToInt(String::length).max().orElse(4);
        this.terminal = terminal;
        this.status = terminal.map(t -> Status.getStatus(t, true));
    }

    /** Plain lines only, for pipes, files and CI logs. */
    public static HeadlessProgress plain(Plan plan, PrintWriter out, ZoneId zone) {
        return new HeadlessProgress(plan, out, zone, Optional.empty(), Clock.system(zone));
    }

    /** Log lines scrolling above a live status area with one line per host; the terminal stays the caller's. */
    public static HeadlessProgress live(Plan plan, Terminal terminal, ZoneId zone) {
        return new HeadlessProgress(plan, terminal.writer(), zone, Optional.of(terminal), Clock.system(zone));
    }

    /** Live on the system terminal when stdout is one, plain lines on standard output otherwise. */
    public static HeadlessProgress forConsole(Plan plan, ZoneId zone) throws IOException {
        if (!Tty.of(1).orElse(true)) {
            return plain(plan, new PrintWriter(System.out, true, StandardCharsets.UTF_8), zone);
        }
        Terminal t = TerminalBuilder.builder().name("kubeha").system(true).dumb(true)
                .encoding(StandardCharsets.UTF_8).build();
        if (!t.getType().startsWith(Terminal.TYPE_DUMB)) {
            HeadlessProgress live = live(plan, t, zone);
            live.owned = Optional.of(t);
            return live;
        }
        t.close();
        return plain(plan, new PrintWriter(System.out, true, StandardCharsets.UTF_8), zone);
    }

    @Override
    public synchronized void accept(EngineEvent event) {
        progress.accept(event);
        switch (event) {
            case EngineEvent.PhaseStarted e -> line(e.at(), "== " + e.title() + " (" + String.join(", ", e.hosts())
                    + ")");
            case EngineEvent.StepStarted e -> current.put(key(e.host(), e.stepId()), new Current(e.index(), e.total(), e.title()));
            case EngineEvent.StepFinished e -> step(e.at(), e.host(), e.stepId(), InstallProgress.outcome(e.outcome()) + " ("
                    + Elapsed.took(e.took()) + ")");
            case EngineEvent.StepFailed e -> step(e.at(), e.host(), e.stepId(), "FAILED after " + e.attempts() + " attempt"
                    + (e.attempts() == 1 ? "" : "s") + ": " + e.error());
            case EngineEvent.StepRetrying e -> step(e.at(), e.host(), e.stepId(), InstallProgress.retrying(e).substring(2));
            case EngineEvent.PhaseFinished e -> {
                if (!e.ok()) {
                    line(e.at(), "== phase " + e.phase() + " failed");
                }
            }
            case EngineEvent.RunFinished e -> {
                line(e.at(), e.ok() ? "run finished: every step is done" : e.cancelled()
                        ? "run cancelled: the journal keeps the finished steps; run again to continue"
                        : "run failed: " + e.failures().size() + " failure" + (e.failures().size() == 1 ? "" : "s"));
                e.failures().forEach(f -> line(e.at(), "  " + f.text()));
            }
            case EngineEvent.CommandStarted e -> {
            }
            case EngineEvent.OutputLine e -> {
            }
            case EngineEvent.Downloading e -> {
                if (e.finished()) {
                    line(e.at(), DownloadLines.text(e));
                }
            }
        }
        showStatus(event instanceof EngineEvent.RunFinished);
    }

    private void step(Instant at, String host, String stepId, String what) {
        Current c = current.getOrDefault(key(host, stepId), new Current(0, 0, "?"));
        line(at, pad(host) + "  [" + c.index() + "/" + c.total() + "] " + c.title() + " … " + what);
    }

    /** A host runs one step per lane at a time, so a step's line is found by host and step. */
    private static String key(String host, String stepId) {
        return host + "\u0000" + stepId;
    }

    private void line(Instant at, String text) {
        out.println(TIME.format(at.atZone(zone)) + " " + text);
        out.flush();
    }

    private String pad(String host) {
        return host + " ".repeat(Math.max(0, hostWidth - host.length()));
    }

    private void showStatus(boolean force) {
        if (status.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (!force && now.isBefore(statusShown.plus(STATUS_EVERY))) {
            return;
        }
        statusShown = now;
        int width = Math.max(40, terminal.orElseThrow().getWidth());
        List<AttributedString> lines = progress.snapshot(now).hosts().stream()
                .map(h -> new AttributedString(statusLine(h, width))).toList();
        status.get().update(lines);
    }

    /** One host's live line: name, bar, step and state, cut to the terminal width. */
    String statusLine(HostStatus h, int width) {
        String text = pad(h.host()) + " " + ProgressBar.text(h.finished(), h.total(), 18) + " "
                + Elapsed.clock(h.elapsed()) + " " + h.state().label() + "  " + h.index() + "/" + h.total() + " "
                + h.step();
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    @Override
    public synchronized void close() {
        status.ifPresent(s -> {
            showStatus(true);
            s.close();
        });
        out.flush();
        if (owned.isPresent()) {
            try {
                owned.get().close();
            } catch (IOException e) {
                // The terminal is ours only to restore its mode; the run's outcome is already printed.
            }
        }
    }
}
