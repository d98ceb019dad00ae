package dev.kubeha.ssh;

import java.time.Duration;

/**
 * A shell script to run as root on a host, with its timeout.
 *
 * @param script POSIX sh text; it runs with stdin closed
 * @param timeout the command is killed on the host after this long
 * @param idempotent true when running it twice is harmless: only then is it repeated after a dropped connection
 */
public record RemoteCommand(String script, Duration timeout, boolean idempotent) {
    public RemoteCommand {
        if (script.isBlank()) {
            throw new IllegalArgumentException("empty command");
        }
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("command timeout below 1 s: " + timeout);
        }
    }

    /** A command that only reads state (a probe, a check, a verification): repeated once after a drop. */
    public static RemoteCommand probe(String script, Duration timeout) {
        return new RemoteCommand(script, timeout, true);
    }

    /** A command that changes the host: never repeated by the SSH layer. */
    public static RemoteCommand change(String script, Duration timeout) {
        return new RemoteCommand(script, timeout, false);
    }
}
