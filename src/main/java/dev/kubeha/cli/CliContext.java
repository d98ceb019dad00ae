package dev.kubeha.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;

/** What every command may use from its surroundings: output streams and the clock. */
public record CliContext(PrintWriter out, PrintWriter err, Clock clock) {
    public LocalDate today() {
        return LocalDate.now(clock);
    }
}
