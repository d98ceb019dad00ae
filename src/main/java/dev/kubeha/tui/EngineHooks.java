package dev.kubeha.tui;

import dev.kubeha.events.EventSink;
import dev.kubeha.exec.Cancellation;
import dev.kubeha.exec.FailureHandler;

/** What the install view hands to the code that starts the engine: where events go, who decides failures, and the stop switch. */
public record EngineHooks(EventSink sink, FailureHandler failures, Cancellation cancellation) {
}
