package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.render.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Asks /healthz through the control-plane endpoint at a fixed interval while a workflow runs (an upgrade), from the
 * jump host and trusting only the cluster CA, and counts the answers that were not "ok".
 */
public final class HealthzProbe implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofMillis(200);

    /** What the probe saw: how many probes, how many failed, the longest run of failures and the last error. */
    public record Report(String url, long probes, long failed, Duration longestOutage, String lastError) {
        public String text() {
            return url + ": " + probes + " probes every " + INTERVAL.toMillis() + " ms, " + failed + " failed"
                    + (failed == 0 ? "" : " (longest outage " + longestOutage.toMillis() + " ms; last: " + lastError
                    + ")");
        }
    }

    private final String url;
    private final Supplier<Optional<String>> probe;
    private final Clock clock;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private long probes;
    private long failed;
    private Duration longest = Duration.ZERO;
    private Instant outageSince;
    private String lastError = "";

    /** @param probe one probe: empty when it answered ok, else what went wrong */
    HealthzProbe(String url, Supplier<Optional<String>> probe, Clock clock) {
        this.url = url;
        this.probe = probe;
        this.clock = clock;
        this.thread = Thread.ofPlatform().daemon().name("kubeha-healthz").start(this::loop);
    }

    /** Starts probing https://ENDPOINT/healthz of the cluster. */
    public static HealthzProbe start(ClusterSpec spec, ClusterCa ca, Clock clock) {
        String url = "https://" + Topology.controlPlaneEndpoint(spec) + "/healthz";
        HttpClient client;
        try {
            client = HttpClient.newBuilder().sslContext(HandOver.trusting(ca)).connectTimeout(Duration.ofSeconds(1))
                    .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the cluster CA: " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
        return new HealthzProbe(url, () -> {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().strip().equals("ok") ? Optional.empty()
                        : Optional.of(response.statusCode() + " " + response.body().strip());
            } catch (IOException e) {
                return Optional.of(e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        }, clock);
    }

    private void loop() {
        while (running.get()) {
            Instant started = clock.instant();
            record(probe.get(), started);
            long rest = INTERVAL.toMillis() - Duration.between(started, clock.instant()).toMillis();
            if (rest > 0) {
                try {
                    Thread.sleep(rest);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private synchronized void record(Optional<String> error, Instant at) {
        if (!running.get()) {
            return;
        }
        probes++;
        if (error.isEmpty()) {
            outageSince = null;
            return;
        }
        failed++;
        lastError = error.get();
        if (outageSince == null) {
            outageSince = at;
        }
        Duration outage = Duration.between(outageSince, clock.instant());
        if (outage.compareTo(longest) > 0) {
            longest = outage;
        }
    }

    public synchronized Report report() {
        return new Report(url, probes, failed, longest, lastError);
    }

    /** Stops probing and waits for the probe in flight. */
    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
