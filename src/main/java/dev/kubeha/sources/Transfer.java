package dev.kubeha.sources;

import java.time.Duration;

/**
 * How far one download is: bytes so far, of how many, since when.
 *
 * @param total the full size in bytes, or -1 when the server did not say
 * @param resumedFrom bytes already on disk from an earlier, cut attempt when this one began
 * @param elapsed time since this attempt began
 */
public record Transfer(Download download, State state, long received, long total, long resumedFrom,
                       Duration elapsed) {
    /** RUNNING while bytes arrive, DONE once verified and in the cache, CACHED when the cache already had it. */
    public enum State { RUNNING, DONE, CACHED }

    /** Bytes per second over this attempt, or -1 before a rate can be told. */
    public long bytesPerSecond() {
        long millis = elapsed.toMillis();
        return millis < 100 ? -1 : (received - resumedFrom) * 1000 / millis;
    }

    /** Time left at the current rate, or -1 when unknown. */
    public long secondsLeft() {
        long rate = bytesPerSecond();
        return total < 0 || rate <= 0 ? -1 : (total - received + rate - 1) / rate;
    }
}
