package dev.kubeha.tui;

import dev.kubeha.events.EventSink;
import dev.kubeha.exec.Cancellation;
import dev.kubeha.exec.FailureHandler;

/** What the install view hands to whoever starts the engine: the event sink, the failure handler, the stop switch. */
public record EngineHooks(EventSink sink, FailureHandler failures, Cancellation cancellation) {
}
