package dev.kubeha.tui;

import java.time.Duration;
import java.util.List;

/** What a probe learned about a host: an outcome, the connect latency, the SSH banner and any further facts. */
public record ProbeReport(Outcome outcome, Duration latency, String banner, String reason, List<String> details) {
    /** How far the probe got. */
    public enum Outcome {
        REACHABLE, REFUSED, TIMEOUT, NOT_SSH, UNREACHABLE;

        public boolean ok() {
            return this == REACHABLE;
        }
    }

    public ProbeReport {
        details = List.copyOf(details);
    }

    public static ProbeReport reachable(Duration latency, String banner) {
        return new ProbeReport(Outcome.REACHABLE, latency, banner, "", List.of());
    }

    public static ProbeReport failed(Outcome outcome, String reason) {
        return new ProbeReport(outcome, Duration.ZERO, "", reason, List.of());
    }

    /** One line for a table cell: the latency and banner, or the failure. */
    public String summary() {
        if (outcome.ok()) {
            return "ok " + latency.toMillis() + "ms " + banner;
        }
        return reason;
    }
}
