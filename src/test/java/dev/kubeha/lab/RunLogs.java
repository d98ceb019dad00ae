package dev.kubeha.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads what one apply run wrote to the per-host logs: each step's outcome, keyed "host/step". */
final class RunLogs {
    private static final Pattern DONE = Pattern.compile(" done (\\S+): (\\w+) in ");
    private final Path dir;
    private final Map<String, Long> marks = new HashMap<>();

    RunLogs(Path dir) {
        this.dir = dir;
    }

    /** Remembers where each log ends now; {@link #outcomes()} reads only what comes after. */
    void mark() {
        marks.clear();
        for (Path log : logs()) {
            try {
                marks.put(log.getFileName().toString(), Files.size(log));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Map<String, String> outcomes() {
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (Path log : logs()) {
            String name = log.getFileName().toString();
            String host = name.substring(0, name.length() - ".log".length());
            try {
                byte[] bytes = Files.readAllBytes(log);
                int from = marks.getOrDefault(name, 0L).intValue();
                String text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
                Matcher m = DONE.matcher(text);
                while (m.find()) {
                    outcomes.put(host + "/" + m.group(1), m.group(2));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return outcomes;
    }

    private List<Path> logs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
