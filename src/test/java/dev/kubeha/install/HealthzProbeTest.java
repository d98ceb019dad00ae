package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthzProbeTest {
    @Test
    void failedProbesAreCountedWithTheLastErrorAndProbingStopsOnClose() throws Exception {
        ConcurrentLinkedQueue<Optional<String>> answers = new ConcurrentLinkedQueue<>(List.of(Optional.empty(),
                Optional.of("503 etcd failed"), Optional.of("connection refused"), Optional.empty()));
        CountDownLatch allAsked = new CountDownLatch(4);
        HealthzProbe probe = new HealthzProbe("https://vip/healthz", () -> {
            Optional<String> next = answers.poll();
            allAsked.countDown();
            return next == null ? Optional.empty() : next;
        }, Clock.systemUTC());
        assertTrue(allAsked.await(10, TimeUnit.SECONDS));
        probe.close();
        HealthzProbe.Report report = probe.report();
        assertTrue(report.probes() >= 3, report.text());
        assertEquals(2, report.failed(), report.text());
        assertEquals("connection refused", report.lastError());
        assertTrue(report.longestOutage().toMillis() >= 150, report.text());
        Thread.sleep(500);
        assertEquals(report, probe.report(), "nothing is probed after close");
        assertTrue(report.text().startsWith("https://vip/healthz: " + report.probes() + " probes every 200 ms,"
                + " 2 failed (longest outage "), report.text());
    }
}
