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
import java.util.HashSet;
import java.util.Set;

/** Per-host record of finished steps (id and fingerprint), appended and synced after each step, so runs resume. */
public final class Journal {
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
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = file(step.host());
            String line = key(step) + " " + clock.instant() + "\n";
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal in " + dir, e);
        }
    }

    public Path file(String host) {
        return dir.resolve(host + ".journal");
    }

    private Set<String> entries(String host) {
        Path file = file(host);
        Set<String> keys = new HashSet<>();
        if (!Files.exists(file)) {
            return keys;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ");
                if (parts.length >= 2) {
                    keys.add(parts[0] + " " + parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file, e);
        }
        return keys;
    }

    private static String key(Step step) {
        return step.id() + " " + step.fingerprint();
    }
}
