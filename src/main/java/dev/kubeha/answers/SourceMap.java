package dev.kubeha.answers;

import dev.kubeha.validate.Problem;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Line numbers (1-based) of every field path read from a YAML file (answers or facts). */
public final class SourceMap {
    private final Map<String, Integer> lines = new HashMap<>();

    void put(String path, int line) {
        lines.putIfAbsent(path, line);
    }

    /** The line a problem is about: its own line when it has one, else its path's; none for a whole-file problem. */
    public OptionalInt lineOf(Problem problem) {
        if (problem.line() > 0) {
            return OptionalInt.of(problem.line());
        }
        return problem.path().isEmpty() ? OptionalInt.empty() : lineOf(problem.path());
    }

    /** The line of the path, or of its nearest written ancestor when the field was left to its default. */
    public OptionalInt lineOf(String path) {
        for (String p = path; ; p = parent(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return OptionalInt.of(line);
            }
            if (p.isEmpty()) {
                return OptionalInt.empty();
            }
        }
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
