package dev.kubeha.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Runs kubeha's command line in-process on 2026-11-22 and captures what it printed. */
final class CliRunner {
    record Run(int code, String out, String err) {
    }

    private CliRunner() {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
        int code = Main.run(new CliContext(new PrintWriter(out), new PrintWriter(err), clock), args);
        return new Run(code, out.toString(), err.toString());
    }
}
