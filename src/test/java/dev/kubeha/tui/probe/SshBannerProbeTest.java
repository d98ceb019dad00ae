package dev.kubeha.tui.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.tui.probe.ProbeReport.Outcome;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SshBannerProbeTest {
    private final SshBannerProbe probe = new SshBannerProbe(Duration.ofMillis(800));

    private static ProbeTarget loopback(int port) {
        return ProbeTarget.tcp("127.0.0.1", port);
    }

    @Test
    void readsTheIdentificationLineAfterOtherLines() throws Exception {
        try (LoopbackGreeter server = new LoopbackGreeter("hello\r\nSSH-2.0-OpenSSH_9.6 kubeha-test\r\n", true)) {
            ProbeReport report = probe.probe(loopback(server.port()));
            assertEquals(Outcome.REACHABLE, report.outcome(), report.summary());
            assertEquals("SSH-2.0-OpenSSH_9.6 kubeha-test", report.banner());
            assertTrue(report.summary().startsWith("ok "), report.summary());
        }
    }

    @Test
    void aServiceThatIsNotSshIsSaidToBeNotSsh() throws Exception {
        try (LoopbackGreeter server = new LoopbackGreeter("HTTP/1.1 400 Bad Request\r\n\r\n", false)) {
            ProbeReport report = probe.probe(loopback(server.port()));
            assertEquals(Outcome.NOT_SSH, report.outcome());
            assertTrue(report.reason().startsWith("not SSH"), report.reason());
        }
    }

    @Test
    void aSilentServiceIsNotSshAfterTheTimeout() throws Exception {
        try (LoopbackGreeter server = new LoopbackGreeter("", true)) {
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
