package dev.kubeha.validate;

import java.util.ArrayList;
import java.util.List;

/** Collects problems so that every one is reported at once. */
public final class Problems {
    private final List<Problem> items = new ArrayList<>();

    public void error(String path, String message) {
        items.add(Problem.error(path, message));
    }

    /** An error about one line of the file, where the path alone would point elsewhere. */
    public void errorAtLine(String path, int line, String message) {
        items.add(new Problem(Severity.ERROR, path, message, line));
    }

    public void warning(String path, String message) {
        items.add(Problem.warning(path, message));
    }

    public void addAll(List<Problem> problems) {
        items.addAll(problems);
    }

    public boolean hasErrorAt(String path) {
        return items.stream().anyMatch(p -> p.isError() && p.path().equals(path));
    }

    public List<Problem> list() {
        return List.copyOf(items);
    }
}
