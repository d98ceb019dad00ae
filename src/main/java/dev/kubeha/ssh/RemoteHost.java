package dev.kubeha.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** One host as the engine sees it: commands, uploads and reads, all as root. Used by one thread at a time. */
public interface RemoteHost extends AutoCloseable {
    /** user@host:port (via the bastion): how messages and logs name this host. */
    String where();

    /** Opens the connection now (otherwise the first operation does): connect, host key, authentication, sudo. */
    void connect() throws SshException;

    /**
     * Runs a command as root, streaming each output line to {@code output} as it arrives.
     * A non-zero exit is a result, not an exception; a timeout kills the command and throws.
     */
    ExecResult run(RemoteCommand command, Consumer<OutputLine> output) throws SshException;

    /** Replaces {@code path} atomically (temporary file in the same directory, chown, chmod, rename). */
    void upload(byte[] content, String path, int mode, String owner) throws SshException;

    /**
     * Like {@link #upload(byte[], String, int, String)}, with the content read from a local file. Implementations
     * stream it, so a large file (a release binary) is never held in memory whole.
     */
    default void upload(Path source, String path, int mode, String owner) throws SshException {
        byte[] content;
        try {
            content = Files.readAllBytes(source);
        } catch (IOException e) {
            throw new SshException.FileFailed(where(), "cannot read " + source + " to upload it: " + e.getMessage(), e);
        }
        upload(content, path, mode, owner);
    }

    /** The file's bytes, read as root; empty when it does not exist. */
    Optional<byte[]> read(String path) throws SshException;

    /** Closes the connection and forgets any password held for this host. */
    @Override
    void close();
}
