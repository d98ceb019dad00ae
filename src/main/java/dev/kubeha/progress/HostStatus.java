package dev.kubeha.progress;

import java.time.Duration;

/**
 * One host's progress at a moment.
 *
 * @param index 1-based position of the current (or last) step among the host's steps, 0 before its first
 * @param finished steps that ended well (applied, already done, journaled or skipped)
 * @param error the last failure's message, empty when the host has not failed
 */
public record HostStatus(String host, HostState state, int index, int total, int finished, String step,
                         String lastLine, Duration elapsed, String error) {
}
