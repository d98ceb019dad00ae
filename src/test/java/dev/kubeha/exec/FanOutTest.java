package dev.kubeha.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.ssh.SshException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Failures stay typed from the fan-out to the views: the exception itself, not its message. */
class FanOutTest {
    @Test
    void aHostsFailureIsTheExceptionItsTaskThrew() {
        IllegalStateException thrown = new IllegalStateException("disk full");
        Map<String, FanOut.Outcome<String>> out = new FanOut(2).run(List.of("a", "b"), host -> {
            if (host.equals("b")) {
                throw thrown;
            }
            return host + "!";
        });
        assertEquals(List.of("a", "b"), List.copyOf(out.keySet()));
        assertTrue(out.get("a").ok());
        assertEquals("a!", out.get("a").value());
        assertFalse(out.get("b").ok());
        assertSame(thrown, out.get("b").error());
    }

    @Test
    void workBesideRunsWhileTheCallerWaitsAndItsFailureIsThrownAsItWas() throws Exception {
        CountDownLatch callerWaits = new CountDownLatch(1);
        FanOut.Beside<String> beside = FanOut.beside(() -> {
            callerWaits.countDown();
            return "done";
        });
        assertTrue(callerWaits.await(5, TimeUnit.SECONDS), "it started without a join");
        assertEquals("done", beside.join());
        IllegalStateException thrown = new IllegalStateException("disk full");
        FanOut.Beside<String> failing = FanOut.beside(() -> {
            throw thrown;
        });
        failing.settle();
        assertSame(thrown, assertThrows(IllegalStateException.class, failing::join));
    }

    @Test
    void workThatComputesBesideLeavesTheHostsTasksTheirThreads() {
        AtomicBoolean hostRan = new AtomicBoolean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<FanOut.Beside<Boolean>> spinning = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            spinning.add(FanOut.beside(() -> {
                while (!hostRan.get()) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    Thread.onSpinWait();
                }
                return true;
            }));
        }
        new FanOut(1).run(List.of("a"), host -> hostRan.getAndSet(true));
        for (FanOut.Beside<Boolean> s : spinning) {
            assertTrue(s.join(), "the host's task ran while every processor computed beside it");
        }
    }

    @Test
    void classifyKeepsTheSshFailureAsItsCause() {
        SshException.Interrupted interrupted = new SshException.Interrupted("root@a:22", "sleep 9");
        RuntimeException failure = Executor.classify(interrupted);
        assertInstanceOf(StepFailure.class, failure);
        assertSame(interrupted, failure.getCause());
        assertEquals("root@a:22: interrupted while running: sleep 9", failure.getMessage());
        SshException.ConnectionLost lost = new SshException.ConnectionLost("root@a:22", "reset by peer", null);
        assertSame(lost, assertInstanceOf(TransientFailure.class, Executor.classify(lost)).getCause());
    }
}
