package dev.kubeha.tui.probe;

import dev.kubeha.tui.probe.ProbeReport.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Connects to the SSH port and reads the server's identification line (RFC 4253 section 4.2); no login. */
public final class SshBannerProbe implements HostProbe {
    private static final int MAX_LINE = 255;
    private static final int MAX_PRE_BANNER_LINES = 20;
    private final Duration timeout;

    public SshBannerProbe(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public ProbeReport probe(ProbeTarget target, ProbeRunner.Progress progress) throws InterruptedException {
        int millis = (int) timeout.toMillis();
        long start = System.nanoTime();
        boolean connected = false;
        try (Socket socket = new Socket()) {
            progress.onCancel(socket);
            socket.connect(new InetSocketAddress(target.address(), target.port()), millis);
            connected = true;
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            socket.setSoTimeout(millis);
            InputStream in = socket.getInputStream();
            for (int i = 0; i < MAX_PRE_BANNER_LINES; i++) {
                String line = readLine(in);
                if (line == null) {
                    return ProbeReport.failed(Outcome.NOT_SSH, "not SSH: port " + target.port()
                            + " closed the connection without a banner");
                }
                if (line.startsWith("SSH-")) {
                    return ProbeReport.reachable(latency, line);
                }
            }
            return ProbeReport.failed(Outcome.NOT_SSH, "not SSH: no SSH- identification line on port "
                    + target.port());
        } catch (SocketTimeoutException e) {
            return ProbeReport.failed(connected ? Outcome.NOT_SSH : Outcome.TIMEOUT, connected
                    ? "not SSH: no banner within " + timeout.toSeconds() + "s on port " + target.port()
                    : "timeout: no answer within " + timeout.toSeconds() + "s on port " + target.port());
        } catch (ConnectException e) {
            return ProbeReport.failed(Outcome.REFUSED, "refused: nothing listens on port " + target.port());
        } catch (NoRouteToHostException e) {
            return ProbeReport.failed(Outcome.UNREACHABLE, "unreachable: no route to host");
        } catch (IOException | IllegalArgumentException e) {
            return ProbeReport.failed(Outcome.UNREACHABLE, "unreachable: " + e.getMessage());
        } finally {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_LINE];
        int length = 0;
        while (length < MAX_LINE) {
            int b = in.read();
            if (b < 0) {
                return length == 0 ? null : new String(buffer, 0, length, StandardCharsets.US_ASCII);
            }
            if (b == '\n') {
                break;
            }
            buffer[length++] = (byte) b;
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        return new String(buffer, 0, length, StandardCharsets.US_ASCII).replaceAll("\\p{Cntrl}", "?");
    }
}
