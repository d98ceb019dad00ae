package dev.kubeha.exec;

import dev.kubeha.render.RenderedFile;
import java.time.Duration;
import java.util.function.Consumer;

/** What the executor needs from a connection to one host; commands run as root. */
public interface HostSession {
    /** Runs a shell command, streaming each output line; throws {@link TransientFailure} when the link drops. */
    CommandResult run(String command, Duration timeout, Consumer<String> lines);

    /** The file's bytes, or empty when it does not exist. */
    java.util.Optional<byte[]> read(String path, Duration timeout);

    /** Puts the file in place atomically with its mode and owner. */
    void write(RenderedFile file, Duration timeout);
}
