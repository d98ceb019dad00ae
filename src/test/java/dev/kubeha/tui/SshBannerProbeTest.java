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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
        return new ProbeTarget("test", "127.0.0.1", port, "root");
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

    @Test
    void theRunnerHandsResultsToTheGuiExecutorAndProbesEachTargetOnce() throws Exception {
        try (LoopbackServer server = new LoopbackServer("SSH-2.0-kubeha-test\r\n", true)) {
            LinkedBlockingQueue<Runnable> guiQueue = new LinkedBlockingQueue<>();
            CountDownLatch changed = new CountDownLatch(1);
            int[] probes = {0};
            HostProbe counting = target -> {
                synchronized (probes) {
                    probes[0]++;
                }
                return probe.probe(target);
            };
            try (ProbeRunner runner = new ProbeRunner(counting, 2, guiQueue::add, changed::countDown)) {
                ProbeTarget target = loopback(server.port());
                runner.check(target);
                runner.check(target);
                assertTrue(runner.status(target).orElseThrow() instanceof ProbeStatus.Pending);
                Runnable handOver = guiQueue.poll(5, TimeUnit.SECONDS);
                assertTrue(runner.anyPending(), "the result is not visible before the GUI thread runs it");
                handOver.run();
                assertTrue(changed.await(1, TimeUnit.SECONDS));
                ProbeStatus.Done done = (ProbeStatus.Done) runner.status(target).orElseThrow();
                assertEquals("SSH-2.0-kubeha-test", done.report().banner());
                synchronized (probes) {
                    assertEquals(1, probes[0]);
                }
            }
        }
    }
}
