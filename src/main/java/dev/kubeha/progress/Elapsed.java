package dev.kubeha.progress;

import java.time.Duration;
import java.util.Locale;

/** Durations as operators read them: a step's {@code 1.2s} or {@code 3m05s}, a run's clock {@code 4:07}. */
public final class Elapsed {
    private Elapsed() {
    }

    public static String took(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        return seconds / 60 + "m" + String.format(Locale.ROOT, "%02ds", seconds % 60);
    }

    public static String clock(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        long hours = seconds / 3600;
        String minutesSeconds = String.format(Locale.ROOT, "%02d:%02d", seconds / 60 % 60, seconds % 60);
        return hours > 0 ? hours + ":" + minutesSeconds : minutesSeconds.startsWith("0")
                ? minutesSeconds.substring(1) : minutesSeconds;
    }
}
