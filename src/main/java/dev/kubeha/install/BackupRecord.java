package dev.kubeha.install;

import dev.kubeha.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The newest etcd backup in {@code STATE/backups/}: the JSON record written beside each snapshot (its text kept as
 * kubeha reads only its name and time); empty when there is none.
 *
 * @param record the record file
 * @param takenAt the record's modification time
 */
public record BackupRecord(Path record, Instant takenAt) {
    public static final String SUBDIR = "backups";

    public static Optional<BackupRecord> newest(StateDir state) {
        Path dir = state.root().resolve(SUBDIR);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            Optional<Path> newest = files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(Files::isRegularFile)
                    .max(Comparator.comparing(BackupRecord::modified));
            if (newest.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new BackupRecord(newest.get(), modified(newest.get())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("record", record.toString());
        json.put("recordedAt", takenAt.toString());
        return json;
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
