package dev.kubeha.tui.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The live-check runner with fake probes: debounce, cancellation of stale checks, hand-over, bounded threads. */
class ProbeRunnerTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(300);

    /** A GUI thread stand-in: hand-overs wait in a queue until the test runs them. */
    private final LinkedBlockingQueue<Runnable> gui = new LinkedBlockingQueue<>();
    private final AtomicInteger changes = new AtomicInteger();
    /** Every key probed, with how often. */
    private final Map<String, AtomicInteger> probed = new ConcurrentHashMap<>();

    private ProbeRunner<String, String> runner(ProbeRunner.Probe<String, String> probe, int threads) {
        return new ProbeRunner<>("test", (key, progress) -> {
            probed.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return probe.probe(key, progress);
        }, e -> "crashed: " + e.getMessage(), threads, DEBOUNCE, gui::add, changes::incrementAndGet);
    }

    /** Runs GUI hand-overs until the key's status is done, or fails after the timeout. */
    private String awaitDone(ProbeRunner<String, String> runner, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Runnable r = gui.poll(50, TimeUnit.MILLISECONDS);
            if (r != null) {
                r.run();
            }
            if (runner.status(key).orElseThrow() instanceof ProbeStatus.Done<String> done) {
                return done.result();
            }
        }
        throw new AssertionError("no result for " + key + ": " + runner.status(key));
    }

    private void drainGui() {
        Runnable r;
        while ((r = gui.poll()) != null) {
            r.run();
        }
    }

    @Test
    void aResultReachesTheStatusOnlyThroughTheGuiThreadAndEachKeyIsProbedOnce() throws Exception {
        try (var runner = runner((key, progress) -> "ok " + key, 2)) {
            runner.want(List.of("a"));
            runner.want(List.of("a"));
            assertEquals(Optional.of(new ProbeStatus.Pending<>("waiting")), runner.status("a"));
            Thread.sleep(DEBOUNCE.toMillis() + 300);
            assertInstanceOf(ProbeStatus.Pending.class, runner.status("a").orElseThrow(),
                    "the result is not visible before the GUI thread runs it");
            assertEquals("ok a", awaitDone(runner, "a"));
            assertTrue(changes.get() > 0);
            runner.want(List.of("a"));
            Thread.sleep(DEBOUNCE.toMillis() + 200);
            drainGui();
            assertEquals(1, probed.get("a").get(), "a kept key is not probed again");
            assertFalse(runner.anyPending());
        }
    }

    @Test
    void keysReplacedWithinTheDebounceAreNeverProbed() throws Exception {
        try (var runner = runner((key, progress) -> "ok " + key, 2)) {
            for (String typed : List.of("1", "19", "192", "192.", "192.1")) {
                runner.want(List.of(typed));
            }
            assertEquals("ok 192.1", awaitDone(runner, "192.1"));
            Thread.sleep(DEBOUNCE.toMillis() + 200);
            assertEquals(Map.of("192.1", 1), Map.copyOf(probed).entrySet().stream().collect(
                    Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())));
            assertEquals(Optional.empty(), runner.status("19"));
        }
    }

    @Test
    void aStaleProbeIsInterruptedItsResourceClosedAndItsResultDropped() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean();
        try (var runner = runner((key, progress) -> {
            if (key.equals("slow")) {
                progress.onCancel(() -> closed.set(true));
                progress.stage("logging in");
                started.countDown();
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    return "late result of slow";
                }
            }
            return "ok " + key;
        }, 1)) {
            runner.want(List.of("slow"));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            drainGui();
            assertEquals(Optional.of(new ProbeStatus.Pending<>("logging in")), runner.status("slow"));
            runner.want(List.of("fast"));
            assertEquals(Optional.empty(), runner.status("slow"));
            assertTrue(closed.get(), "the stale probe's connection is closed at once");
            assertEquals("ok fast", awaitDone(runner, "fast"), "the one thread is free again for the new key");
            assertTrue(interrupted.get());
            drainGui();
            assertEquals(Optional.empty(), runner.status("slow"), "the stale result is dropped");
        }
    }

    @Test
    void recheckProbesAgainWithoutWaitingForTheDebounce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (var runner = runner((key, progress) -> "answer " + calls.incrementAndGet(), 1)) {
            runner.want(List.of("h"));
            assertEquals("answer 1", awaitDone(runner, "h"));
            long start = System.nanoTime();
            runner.recheck("h");
            assertInstanceOf(ProbeStatus.Pending.class, runner.status("h").orElseThrow());
            assertEquals("answer 2", awaitDone(runner, "h"));
            assertTrue(System.nanoTime() - start < DEBOUNCE.toNanos(), "a recheck does not wait for the debounce");
            runner.recheckFinished();
            assertEquals("answer 3", awaitDone(runner, "h"));
        }
    }

    @Test
    void aProbeThatThrowsBecomesAFailureResult() throws Exception {
        try (var runner = runner((key, progress) -> {
            throw new IllegalStateException("boom");
        }, 1)) {
            runner.want(List.of("x"));
            assertEquals("crashed: boom", awaitDone(runner, "x"));
        }
    }

    @Test
    void neverMoreProbesAtOnceThanThreads() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (var runner = runner((key, progress) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(100);
            running.decrementAndGet();
            return key;
        }, 2)) {
            List<String> keys = List.of("a", "b", "c", "d", "e", "f");
            runner.want(keys);
            for (String key : keys) {
                assertEquals(key, awaitDone(runner, key));
            }
            assertEquals(2, most.get());
        }
    }
}
