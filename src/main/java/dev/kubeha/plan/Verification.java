package dev.kubeha.plan;

import java.time.Duration;

/** A read-only command that must succeed after a step's operations, polled until it does or the deadline passes. */
public record Verification(String command, Duration within, Duration every) {
    public static Verification now(String command) {
        return new Verification(command, Duration.ZERO, Duration.ofSeconds(1));
    }

    public static Verification within(Duration within, String command) {
        return new Verification(command, within, Duration.ofSeconds(1));
    }
}
