package dev.kubeha.events;

import dev.kubeha.sources.Transfer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Something the engine did or saw, in the order it happened. */
public sealed interface EngineEvent {
    Instant at();

    /** A phase begins on the given hosts. */
    record PhaseStarted(Instant at, String phase, String title, List<String> hosts) implements EngineEvent {
    }

    /** A step begins; {@code index} is 1-based among that host's steps of the whole plan. */
    record StepStarted(Instant at, String host, String stepId, String title, int index, int total)
            implements EngineEvent {
    }

    /** A remote command is about to run (secrets already redacted). */
    record CommandStarted(Instant at, String host, String stepId, String command) implements EngineEvent {
    }

    /** One line a remote command printed (secrets already redacted). */
    record OutputLine(Instant at, String host, String stepId, String line) implements EngineEvent {
    }

    /** A step ended well. */
    record StepFinished(Instant at, String host, String stepId, StepOutcome outcome, Duration took)
            implements EngineEvent {
    }

    /** A step failed for good, after its attempts. */
    record StepFailed(Instant at, String host, String stepId, String error, int attempts) implements EngineEvent {
    }

    /** A step will be tried again after a transient failure. */
    record StepRetrying(Instant at, String host, String stepId, String error, int attempt, Duration after)
            implements EngineEvent {
    }

    /** Every host of a phase is done (or failed). */
    record PhaseFinished(Instant at, String phase, boolean ok) implements EngineEvent {
    }

    /**
     * A file is being fetched on the jump host, or was: {@code total} and the rates are -1 when unknown.
     *
     * @param state RUNNING while bytes arrive, DONE once verified and cached, CACHED when the cache already had it
     */
    record Downloading(Instant at, String file, String url, String state, long received, long total,
                       long bytesPerSecond, long secondsLeft) implements EngineEvent {
        public static Downloading of(Instant at, Transfer t) {
            return new Downloading(at, t.download().fileName(), t.download().url().toString(), t.state().name(),
                    t.received(), t.total(), t.bytesPerSecond(), t.secondsLeft());
        }

        public boolean finished() {
            return !state.equals("RUNNING");
        }
    }

    /** The run is over. */
    record RunFinished(Instant at, boolean ok, boolean cancelled, List<RunFailure> failures) implements EngineEvent {
    }
}
