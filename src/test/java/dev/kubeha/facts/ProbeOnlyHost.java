package dev.kubeha.facts;

import dev.kubeha.ssh.RemoteHost;
import java.util.Optional;

/** A test host that only runs commands: an upload or a file read by the probe fails the test. */
abstract class ProbeOnlyHost implements RemoteHost {
    @Override
    public void connect() {
    }

    @Override
    public void upload(byte[] content, String path, int mode, String owner) {
        throw new AssertionError("the probe must not upload");
    }

    @Override
    public Optional<byte[]> read(String path) {
        throw new AssertionError("the probe reads nothing but its own output");
    }

    @Override
    public void close() {
    }
}
