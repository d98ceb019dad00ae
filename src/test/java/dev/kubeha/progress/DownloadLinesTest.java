package dev.kubeha.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kubeha.events.EngineEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Download progress lines: bytes, rate and ETA, at most one a second per file, always the final one. */
class DownloadLinesTest {
    static final Instant T0 = Instant.parse("2026-12-05T01:00:00Z");

    static EngineEvent.Downloading at(long millis, String state, long received) {
        return new EngineEvent.Downloading(T0.plusMillis(millis), "etcd-v3.6.9-linux-amd64.tar.gz",
                "http://127.0.0.1/etcd.tar.gz", state, received, 25_165_824, 5_452_595, 3);
    }

    @Test
    void showsBytesRateAndEtaThrottledToOneLineASecond() {
        StringWriter text = new StringWriter();
        DownloadLines lines = new DownloadLines(new PrintWriter(text));
        lines.accept(at(0, "RUNNING", 12_582_912));
        lines.accept(at(500, "RUNNING", 13_000_000));
        lines.accept(at(1000, "RUNNING", 16_777_216));
        lines.accept(at(1200, "DONE", 25_165_824));
        assertEquals("""
                etcd-v3.6.9-linux-amd64.tar.gz: 12.0 MiB of 24.0 MiB, 5.2 MiB/s, ETA 0:03
                etcd-v3.6.9-linux-amd64.tar.gz: 16.0 MiB of 24.0 MiB, 5.2 MiB/s, ETA 0:03
                etcd-v3.6.9-linux-amd64.tar.gz: 24.0 MiB downloaded from http://127.0.0.1/etcd.tar.gz, SHA-256 verified
                """, text.toString());
    }

    @Test
    void unknownSizesAndRatesAreLeftOut() {
        assertEquals("f: 512 B", DownloadLines.text(new EngineEvent.Downloading(T0, "f", "u", "RUNNING", 512, -1, -1,
                -1)));
        assertEquals("f: in the cache, SHA-256 verified", DownloadLines.text(new EngineEvent.Downloading(T0, "f", "u",
                "CACHED", 1, 1, -1, -1)));
    }
}
