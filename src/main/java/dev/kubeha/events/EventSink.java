package dev.kubeha.events;

import java.util.List;

/** Receives engine events; called from the engine's worker threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface EventSink {
    void accept(EngineEvent event);

    /** One sink that passes every event to each of the given sinks, in order. */
    static EventSink all(List<EventSink> sinks) {
        List<EventSink> copy = List.copyOf(sinks);
        return event -> copy.forEach(sink -> sink.accept(event));
    }
}
