package dev.kubeha.tui.probe;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs live checks on a small pool of its own and hands every result to the GUI thread; never blocks the caller.
 * The caller says which keys it wants after every edit ({@link #want}): a new key is probed once it has stayed wanted
 * for the debounce time, a key no longer wanted is cancelled (its thread interrupted, its connection closed) and its
 * result, should it still arrive, is dropped.
 */
public final class ProbeRunner<K, R> implements AutoCloseable {
    /** One kind of live check; runs on a pool thread. */
    @FunctionalInterface
    public interface Probe<K, R> {
        R probe(K key, Progress progress) throws InterruptedException;
    }

    /** What a running probe may tell its runner. */
    public interface Progress {
        /** A probe without a runner. */
        Progress NONE = new Progress() {
            @Override
            public void stage(String text) {
            }

            @Override
            public void onCancel(AutoCloseable resource) {
            }
        };

        /** The step the probe has reached, shown while it runs. */
        void stage(String text);

        /** Closed when the probe is cancelled, to end blocking I/O that an interrupt does not reach. */
        void onCancel(AutoCloseable resource);
    }

    private final Probe<K, R> probe;
    private final Function<RuntimeException, R> crashed;
    private final Duration debounce;
    private final Executor gui;
    private final Runnable onChange;
    private final ScheduledThreadPoolExecutor pool;
    private final Map<K, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param crashed  the result for a probe that threw instead of answering
     * @param threads  at most this many probes run at once; the rest wait in the pool's queue
     * @param debounce how long a key must stay wanted before its probe starts
     * @param gui      runs result hand-over on the GUI thread (e.g. {@code gui.getGUIThread()::invokeLater})
     * @param onChange called on the GUI thread after each result or stage change
     */
    public ProbeRunner(String name, Probe<K, R> probe, Function<RuntimeException, R> crashed, int threads,
                       Duration debounce, Executor gui, Runnable onChange) {
        this.probe = probe;
        this.crashed = crashed;
        this.debounce = debounce;
        this.gui = gui;
        this.onChange = onChange;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "kubeha-" + name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setKeepAliveTime(30, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
    }

    private final class Entry implements Progress {
        final K key;
        volatile ProbeStatus<R> status = new ProbeStatus.Pending<>("waiting");
        volatile Future<?> future;
        volatile boolean cancelled;
        final List<AutoCloseable> closers = new CopyOnWriteArrayList<>();

        Entry(K key) {
            this.key = key;
        }

        @Override
        public void stage(String text) {
            if (!cancelled) {
                gui.execute(() -> {
                    if (current(this) && status instanceof ProbeStatus.Pending) {
                        status = new ProbeStatus.Pending<>(text);
                        onChange.run();
                    }
                });
            }
        }

        @Override
        public void onCancel(AutoCloseable resource) {
            closers.add(resource);
            if (cancelled) {
                quietly(resource);
            }
        }

        void cancel() {
            cancelled = true;
            Future<?> f = future;
            if (f != null) {
                f.cancel(true);
            }
            closers.forEach(ProbeRunner::quietly);
        }
    }

    /** Makes {@code keys} the wanted set: new keys start after the debounce, keys left out are cancelled. */
    public void want(Collection<K> keys) {
        Set<K> wanted = new HashSet<>(keys);
        entries.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) {
                return false;
            }
            e.getValue().cancel();
            return true;
        });
        for (K key : wanted) {
            if (!entries.containsKey(key)) {
                start(key, debounce);
            }
        }
    }

    /** Probes the key again at once (after a trusted host key, or F5), cancelling a probe of it still running. */
    public void recheck(K key) {
        Entry old = entries.remove(key);
        if (old != null) {
            old.cancel();
        }
        start(key, Duration.ZERO);
    }

    /** Probes every key with a finished result again at once. */
    public void recheckFinished() {
        List<K> done = entries.values().stream().filter(e -> e.status instanceof ProbeStatus.Done).map(e -> e.key)
                .toList();
        done.forEach(this::recheck);
    }

    private void start(K key, Duration delay) {
        Entry entry = new Entry(key);
        entries.put(key, entry);
        try {
            entry.future = pool.schedule(() -> run(entry), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            entry.cancelled = true;
        }
    }

    private void run(Entry entry) {
        if (entry.cancelled) {
            return;
        }
        entry.stage("checking");
        R result;
        try {
            result = probe.probe(entry.key, entry);
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            result = crashed.apply(e);
        }
        if (entry.cancelled || Thread.currentThread().isInterrupted()) {
            return;
        }
        R done = result;
        gui.execute(() -> {
            if (current(entry)) {
                entry.status = new ProbeStatus.Done<>(done);
                onChange.run();
            }
        });
    }

    private boolean current(Entry entry) {
        return !entry.cancelled && entries.get(entry.key) == entry;
    }

    public Optional<ProbeStatus<R>> status(K key) {
        return Optional.ofNullable(entries.get(key)).map(e -> e.status);
    }

    public boolean anyPending() {
        return entries.values().stream().anyMatch(e -> e.status instanceof ProbeStatus.Pending);
    }

    private static void quietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception ignored) {
            // closing what a cancelled probe held open
        }
    }

    @Override
    public void close() {
        entries.values().forEach(Entry::cancel);
        entries.clear();
        pool.shutdownNow();
    }
}
