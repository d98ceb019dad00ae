package dev.kubeha.tui;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs host probes on a small bounded pool and hands every result to the GUI thread; never blocks the caller. */
public final class ProbeRunner implements AutoCloseable {
    private static final int QUEUE = 64;
    private final HostProbe probe;
    private final Executor gui;
    private final Runnable onChange;
    private final ThreadPoolExecutor pool;
    private final Map<ProbeTarget, ProbeStatus> status = new ConcurrentHashMap<>();

    /**
     * @param gui      runs result hand-over on the GUI thread (e.g. {@code gui.getGUIThread()::invokeLater})
     * @param onChange called on the GUI thread after each result
     */
    public ProbeRunner(HostProbe probe, int threads, Executor gui, Runnable onChange) {
        this.probe = probe;
        this.gui = gui;
        this.onChange = onChange;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "kubeha-probe-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Starts a probe of the target unless one is known or running already. */
    public void check(ProbeTarget target) {
        if (status.putIfAbsent(target, new ProbeStatus.Pending()) != null) {
            return;
        }
        try {
            pool.execute(() -> {
                ProbeReport report;
                try {
                    report = probe.probe(target);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    report = ProbeReport.failed(ProbeReport.Outcome.UNREACHABLE, "probe failed: " + e);
                }
                ProbeReport done = report;
                gui.execute(() -> {
                    status.put(target, new ProbeStatus.Done(done));
                    onChange.run();
                });
            });
        } catch (RejectedExecutionException e) {
            status.put(target, new ProbeStatus.Done(ProbeReport.failed(ProbeReport.Outcome.UNREACHABLE,
                    "not checked: too many checks queued; recheck later")));
        }
    }

    public Optional<ProbeStatus> status(ProbeTarget target) {
        return Optional.ofNullable(status.get(target));
    }

    public boolean anyPending() {
        return status.values().stream().anyMatch(s -> s instanceof ProbeStatus.Pending);
    }

    /** Forgets finished results so that the next {@link #check} probes again. */
    public void forgetFinished() {
        status.values().removeIf(s -> s instanceof ProbeStatus.Done);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
