package dev.kubeha.ssh;

import java.time.Duration;

/** What a finished remote command produced. */
public record ExecResult(String script, int exitCode, String stdout, String stderr, Duration duration) {
    public boolean ok() {
        return exitCode == 0;
    }
}
