package dev.kubeha.exec;

import java.util.concurrent.atomic.AtomicBoolean;

/** Asks a running plan to stop after the steps in flight (Ctrl-C); the journal keeps what finished. */
public final class Cancellation {
    private final AtomicBoolean requested = new AtomicBoolean();

    public void request() {
        requested.set(true);
    }

    public boolean requested() {
        return requested.get();
    }
}
