package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.tui.ProbeReport.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SshBannerProbeTest {
    private final SshBannerProbe probe = new SshBannerProbe(Duration.ofMillis(800));

    /** A loopback server that answers every connection with fixed bytes, then holds or closes it. */
    static final class LoopbackServer implements AutoCloseable {
        final ServerSocket socket;
        private final Thread thread;

        LoopbackServer(String greeting, boolean hold) throws IOException {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        OutputStream out = client.getOutputStream();
                        out.write(greeting.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        if (!hold) {
                            client.close();
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static ProbeTarget loopback(int port) {
        return ProbeTarget.tcp("127.0.0.1", port);
    }

    @Test
    void readsTheIdentificationLineAfterOtherLines() throws Exception {
        try (LoopbackServer server = new LoopbackServer("hello\r\nSSH-2.0-OpenSSH_9.6 kubeha-test\r\n", true)) {
            ProbeReport report = probe.probe(loopback(server.port()));
            assertEquals(Outcome.REACHABLE, report.outcome(), report.summary());
            assertEquals("SSH-2.0-OpenSSH_9.6 kubeha-test", report.banner());
            assertTrue(report.summary().startsWith("ok "), report.summary());
        }
    }

    @Test
    void aServiceThatIsNotSshIsSaidToBeNotSsh() throws Exception {
        try (LoopbackServer server = new LoopbackServer("HTTP/1.1 400 Bad Request\r\n\r\n", false)) {
            ProbeReport report = probe.probe(loopback(server.port()));
            assertEquals(Outcome.NOT_SSH, report.outcome());
            assertTrue(report.reason().startsWith("not SSH"), report.reason());
        }
    }

    @Test
    void aSilentServiceIsNotSshAfterTheTimeout() throws Exception {
        try (LoopbackServer server = new LoopbackServer("", true)) {
            ProbeReport report = probe.probe(loopback(server.port()));
            assertEquals(Outcome.NOT_SSH, report.outcome());
            assertTrue(report.reason().contains("no banner"), report.reason());
        }
    }

    @Test
    void aClosedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeReport report = probe.probe(loopback(port));
        assertEquals(Outcome.REFUSED, report.outcome());
        assertEquals("refused: nothing listens on port " + port, report.reason());
    }
}
