package dev.kubeha.progress;

import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.EventSink;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Download progress as lines (bytes, rate, time left): at most one a second per file, and one when it is done. */
public final class DownloadLines implements EventSink {
    private static final Duration EVERY = Duration.ofSeconds(1);
    private final PrintWriter out;
    private final Map<String, Instant> printed = new HashMap<>();

    public DownloadLines(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void accept(EngineEvent event) {
        if (!(event instanceof EngineEvent.Downloading d)) {
            return;
        }
        Instant last = printed.get(d.file());
        if (!d.finished() && last != null && Duration.between(last, d.at()).compareTo(EVERY) < 0) {
            return;
        }
        printed.put(d.file(), d.at());
        out.println(text(d));
        out.flush();
    }

    /** e.g. "etcd-v3.6.9-linux-amd64.tar.gz: 12.0 MiB of 24.1 MiB, 5.2 MiB/s, ETA 0:03". */
    public static String text(EngineEvent.Downloading d) {
        return switch (d.state()) {
            case "CACHED" -> d.file() + ": in the cache, SHA-256 verified";
            case "DONE" -> d.file() + ": " + bytes(d.received()) + " downloaded from " + d.url() + ", SHA-256 verified";
            default -> d.file() + ": " + bytes(d.received()) + (d.total() < 0 ? "" : " of " + bytes(d.total()))
                    + (d.bytesPerSecond() < 0 ? "" : ", " + bytes(d.bytesPerSecond()) + "/s")
                    + (d.secondsLeft() < 0 ? "" : ", ETA " + Elapsed.clock(Duration.ofSeconds(d.secondsLeft())));
        };
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }
}
