package dev.kubeha.exec;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * A task per host on virtual threads, at most {@code bound} at once, for work outside a plan (connecting, locking,
 * probing); a plan's steps are scheduled by {@link Executor}.
 */
public final class FanOut {
    /** Work for one host; any exception is that host's failure. */
    @FunctionalInterface
    public interface HostTask<T> {
        T run(String host) throws Exception;
    }

    /** A host's value, or what its task threw. */
    public record Outcome<T>(T value, Throwable error) {
        public boolean ok() {
            return error == null;
        }
    }

    private final int bound;

    public FanOut(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("at least one host at a time: " + bound);
        }
        this.bound = bound;
    }

    /** Runs the task on every host and waits for all of them; results keep the hosts' order. */
    public <T> Map<String, Outcome<T>> run(Collection<String> hosts, HostTask<T> task) {
        Semaphore slots = new Semaphore(bound);
        Map<String, Future<T>> running = new LinkedHashMap<>();
        Map<String, Outcome<T>> results = new LinkedHashMap<>();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String host : hosts) {
                running.put(host, workers.submit(() -> {
                    slots.acquire();
                    try {
                        return task.run(host);
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Map.Entry<String, Future<T>> entry : running.entrySet()) {
                try {
                    results.put(entry.getKey(), new Outcome<>(entry.getValue().get(), null));
                } catch (ExecutionException e) {
                    results.put(entry.getKey(), new Outcome<>(null, e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    results.put(entry.getKey(), new Outcome<>(null, new InterruptedException("interrupted")));
                }
            }
        }
        return results;
    }
}
