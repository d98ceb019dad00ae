package dev.kubeha.exec;

import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.EventSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Writes one log file per host (state/logs/HOST.log): every command and every output line, already redacted. */
public final class HostLogs implements EventSink, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private final Path dir;
    private final Map<String, BufferedWriter> writers = new HashMap<>();

    public HostLogs(Path dir) {
        this.dir = dir;
    }

    public Path file(String host) {
        return dir.resolve(host + ".log");
    }

    @Override
    public synchronized void accept(EngineEvent event) {
        switch (event) {
            case EngineEvent.StepStarted s -> write(s.host(), s, "step " + s.index() + "/" + s.total() + " "
                    + s.stepId() + ": " + s.title());
            case EngineEvent.CommandStarted c -> write(c.host(), c, "$ " + c.command());
            case EngineEvent.OutputLine o -> write(o.host(), o, "  " + o.line());
            case EngineEvent.StepFinished f -> write(f.host(), f, "done " + f.stepId() + ": " + f.outcome()
                    .name().toLowerCase(Locale.ROOT) + " in " + f.took().toMillis() + " ms");
            case EngineEvent.StepRetrying r -> write(r.host(), r, "retry " + r.stepId() + " after " + r.after()
                    .toMillis() + " ms: " + r.error());
            case EngineEvent.StepFailed f -> write(f.host(), f, "FAILED " + f.stepId() + " after " + f.attempts()
                    + " attempts: " + f.error());
            default -> {
            }
        }
    }

    private void write(String host, EngineEvent event, String text) {
        try {
            BufferedWriter w = writers.get(host);
            if (w == null) {
                Files.createDirectories(dir);
                w = Files.newBufferedWriter(file(host), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                writers.put(host, w);
            }
            w.write(TIME.format(event.at()) + " " + text + "\n");
            if (!(event instanceof EngineEvent.OutputLine)) {
                w.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log of " + host + " in " + dir, e);
        }
    }

    @Override
    public synchronized void close() {
        for (BufferedWriter w : writers.values()) {
            try {
                w.close();
            } catch (IOException ignored) {
                // The log is best effort once the run is over; the journal is what resumes a run.
            }
        }
        writers.clear();
    }
}
