package dev.kubeha.ssh;

import java.io.IOException;

/** The connection failed under an operation; {@code started} when the host may have acted on it. */
final class Dropped extends Exception {
    final boolean started;

    Dropped(boolean started, IOException cause) {
        super(cause);
        this.started = started;
    }
}
