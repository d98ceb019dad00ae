package dev.kubeha.ssh;

import java.util.Optional;

/** A test host that only runs commands: an upload or a file read fails the test. */
public abstract class CommandOnlyHost implements RemoteHost {
    @Override
    public void connect() {
    }

    @Override
    public void upload(byte[] content, String path, int mode, String owner) {
        throw new AssertionError("this host only runs commands: no upload to " + path);
    }

    @Override
    public Optional<byte[]> read(String path) {
        throw new AssertionError("this host only runs commands: no read of " + path);
    }

    @Override
    public void close() {
    }
}
