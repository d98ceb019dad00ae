package dev.kubeha.progress;

import java.util.ArrayDeque;
import java.util.List;

/** The last lines of one host's log, keeping at most a fixed number and counting what fell off. */
final class HostLog {
    private final int capacity;
    private final ArrayDeque<String> lines;
    private long dropped;

    HostLog(int capacity) {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(line);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    long dropped() {
        return dropped;
    }
}
