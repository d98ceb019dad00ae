package dev.kubeha.exec;

import dev.kubeha.plan.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Per-host record of finished steps (id and fingerprint), appended and synced after each step, so runs resume. */
public final class Journal {
    private static final String PENDING = "pending ";

    private final Path dir;
    private final Clock clock;

    public Journal(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    public synchronized boolean isDone(Step step) {
        return entries(step.host()).contains(key(step));
    }

    public synchronized void record(Step step) {
        append(step.host(), key(step));
    }

    /** True when a step with this id finished on the host in any run, whatever it did then. */
    public synchronized boolean hasFinished(String host, String stepId) {
        return lines(host).stream().anyMatch(entry -> entry.startsWith(stepId + " ") && !entry.startsWith(PENDING));
    }

    /** Notes that a step changed the host but did not finish, so its reloads still run on the next attempt. */
    public synchronized void markPending(Step step) {
        append(step.host(), PENDING + step.id());
    }

    /** True when the step changed the host in an earlier attempt and has not finished since. */
    public synchronized boolean isPending(Step step) {
        String pending = PENDING + step.id();
        String donePrefix = step.id() + " ";
        boolean result = false;
        for (String entry : lines(step.host())) {
            if (entry.equals(pending)) {
                result = true;
            } else if (entry.startsWith(donePrefix)) {
                result = false;
            }
        }
        return result;
    }

    private void append(String host, String entry) {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = file(host);
            String line = entry + " " + clock.instant() + "\n";
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal in " + dir, e);
        }
    }

    /** Forgets every host's finished steps: after a reset they describe a cluster that no longer exists. */
    public synchronized void clear(Iterable<String> hosts) {
        try {
            for (String host : hosts) {
                Files.deleteIfExists(file(host));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the journal in " + dir, e);
        }
    }

    public Path file(String host) {
        return dir.resolve(host + ".journal");
    }

    private Set<String> entries(String host) {
        return new HashSet<>(lines(host));
    }

    /** Each entry without its timestamp, in order. */
    private List<String> lines(String host) {
        Path file = file(host);
        List<String> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int cut = line.lastIndexOf(' ');
                if (cut > 0) {
                    entries.add(line.substring(0, cut));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file, e);
        }
        return entries;
    }

    private static String key(Step step) {
        return step.id() + " " + step.fingerprint();
    }
}
