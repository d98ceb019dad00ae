package dev.kubeha.exec;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;

/**
 * A task per host on virtual threads, at most {@code bound} at once, for work outside a plan (connecting, locking,
 * probing), and single pieces of work that run beside it ({@link #beside}); a plan's steps are scheduled by
 * {@link Executor}.
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

    /** Work running beside the caller's on a thread of its own; {@link #join} waits for its result. */
    public static final class Beside<T> {
        private final FutureTask<T> task;

        private Beside(FutureTask<T> task) {
            this.task = task;
        }

        /** The work's value; what it threw is thrown again as it was (a checked exception wrapped). */
        public T join() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return task.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException r) {
                            throw r;
                        }
                        if (e.getCause() instanceof Error error) {
                            throw error;
                        }
                        throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Waits for the work to end, whatever its outcome, without throwing what it threw. */
        public void settle() {
            try {
                join();
            } catch (RuntimeException | Error ignored) {
                // the caller is already on its way out and reports its own failure
            }
        }
    }

    private final int bound;

    public FanOut(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("at least one host at a time: " + bound);
        }
        this.bound = bound;
    }

    /** Work already done: its value, for a caller that takes both. */
    public static <T> Beside<T> done(T value) {
        FutureTask<T> task = new FutureTask<>(() -> value);
        task.run();
        return new Beside<>(task);
    }

    /**
     * Starts {@code work} on a platform thread of its own (a daemon) and returns at once: work that computes (key
     * generation) or blocks in native code (an ICMP echo) would hold one of the few carriers the hosts' virtual
     * threads share.
     */
    public static <T> Beside<T> beside(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofPlatform().daemon().name("kubeha-beside").start(task);
        return new Beside<>(task);
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
