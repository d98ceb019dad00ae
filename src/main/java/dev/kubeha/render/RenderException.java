package dev.kubeha.render;

import dev.kubeha.model.Printable;

/** A spec, facts or secrets combination that cannot be rendered, with a message naming the field or host. */
public final class RenderException extends RuntimeException {
    public RenderException(String message) {
        super(Printable.of(message));
    }
}
