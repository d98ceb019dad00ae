package dev.kubeha.events;

/** Receives engine events; called from the engine's worker threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface EventSink {
    void accept(EngineEvent event);
}
