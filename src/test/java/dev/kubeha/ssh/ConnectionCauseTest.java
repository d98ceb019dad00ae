package dev.kubeha.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A failed connection is named by its real cause, not as an SSH handshake failure. */
class ConnectionCauseTest {
    private static String cause(IOException e) {
        return SshConnector.cause(new IOException("wrapped", e), false, Duration.ofSeconds(3), Duration.ofSeconds(15));
    }

    @Test
    void socketErrorsKeepTheirOwnWords() {
        assertEquals("network is unreachable", cause(new SocketException("Network is unreachable")));
        assertEquals("network is unreachable", cause(new ConnectException("Network is unreachable (connect failed)")));
        assertEquals("connection refused", cause(new ConnectException("Connection refused")));
        assertEquals("connect timed out after 3 s", cause(new ConnectException("Connection timed out")));
        assertEquals("no route to host", cause(new NoRouteToHostException("No route to host")));
        assertEquals("SSH handshake failed: wrapped", cause(new IOException("kex failed")));
    }
}
