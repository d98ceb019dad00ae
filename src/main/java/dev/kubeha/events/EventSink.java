package dev.kubeha.events;

/** Receives engine events; called from the engine's worker threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface EventSink {
    void accept(EngineEvent event);

    /** One sink that passes every event to each of the given sinks, in order. */
    static EventSink all(java.util.List<EventSink> sinks) {
        java.util.List<EventSink> copy = java.util.List.copyOf(sinks);
        return event -> copy.forEach(sink -> sink.accept(event));
    }
}
