package dev.kubeha.tui.probe;

import dev.kubeha.ssh.HostKeyPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the live check learnt about a host: how far it got, the connect latency and SSH banner, the precise failure,
 * the unknown host key to offer for trust, and the facts probe's output (read with the current answers when shown).
 */
public record ProbeReport(Outcome outcome, Duration latency, String banner, String reason,
                          Optional<HostKeyPolicy.UnknownKey> unknownKey, Optional<FactsOutput> facts) {
    /** How far the check got, in the order of its steps. */
    public enum Outcome {
        /** Nothing answered on the SSH port. */
        REFUSED, TIMEOUT, UNREACHABLE,
        /** The port answered, but not with SSH. */
        NOT_SSH,
        /** The SSH handshake or login failed. */
        HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, AUTH_FAILED, SSH_FAILED,
        /** Logged in, but could not become root or run the facts probe. */
        SUDO_FAILED, FACTS_FAILED,
        /** The SSH banner arrived; no login was tried. */
        REACHABLE,
        /** Logged in and probed. */
        PROBED;

        public boolean ok() {
            return this == REACHABLE || this == PROBED;
        }
    }

    /** The facts probe's raw output and the jump host's clock around it, as {@code FactsProbe.parse} takes them. */
    public record FactsOutput(String stdout, String stderr, Instant before, Instant after) {
    }

    public static ProbeReport reachable(Duration latency, String banner) {
        return new ProbeReport(Outcome.REACHABLE, latency, banner, "", Optional.empty(), Optional.empty());
    }

    public static ProbeReport failed(Outcome outcome, String reason) {
        return new ProbeReport(outcome, Duration.ZERO, "", reason, Optional.empty(), Optional.empty());
    }

    /** The same report after a successful TCP and banner step. */
    ProbeReport after(ProbeReport banner) {
        return new ProbeReport(outcome, banner.latency(), banner.banner(), reason, unknownKey, facts);
    }

    /** True when the SSH port answered (its banner arrived, or something that is not SSH answered). */
    public boolean reachable() {
        return !banner.isEmpty() || outcome == Outcome.NOT_SSH;
    }

    /** One line for a table cell: the latency and banner, or the failure. */
    public String summary() {
        if (outcome.ok()) {
            return "ok " + latency.toMillis() + "ms " + banner;
        }
        return reason;
    }
}
