package dev.kubeha.tui.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What answers on a VIP, asked on loopback addresses only. */
class VipProbeTest {
    @Test
    void aListenerAndARefusalBothMeanTheVipIsInUse() throws Exception {
        InetAddress vip = InetAddress.getByName("127.0.0.66");
        try (ServerSocket listener = new ServerSocket(0, 1, vip)) {
            int port = listener.getLocalPort();
            VipProbe.Answer answer = new VipProbe(a -> false, Duration.ofSeconds(2))
                    .probe(new VipProbe.Target(vip, port), ProbeRunner.Progress.NONE);
            assertTrue(answer.answers());
            assertEquals(2, answer.answeredOn().size(), answer.answeredOn().toString());
            assertTrue(answer.answeredOn().get(0).matches("tcp/22 (refused|open)"), answer.answeredOn().toString());
            assertEquals("tcp/" + port + " open", answer.answeredOn().get(1));
        }
    }

    @Test
    void theEchoRequestIsAskedFirst() throws Exception {
        InetAddress vip = InetAddress.getByName("127.0.0.67");
        List<InetAddress> asked = new ArrayList<>();
        VipProbe.Answer answer = new VipProbe(a -> asked.add(a), Duration.ofSeconds(2))
                .probe(new VipProbe.Target(vip, 22), ProbeRunner.Progress.NONE);
        assertEquals(List.of(vip), asked);
        assertEquals("echo", answer.answeredOn().get(0));
        assertEquals(2, answer.answeredOn().size(), "port 22 is asked once: " + answer.answeredOn());
        assertFalse(new VipProbe.Answer(List.of()).answers());
    }

    @Test
    void noRouteToTheVipIsNotAFreeVip() throws Exception {
        InetAddress vip = InetAddress.getByName("127.0.0.68");
        VipProbe.Answer answer = new VipProbe(a -> false, Duration.ofSeconds(2), (socket, address, timeout) -> {
            throw new SocketException("Network is unreachable (connect failed)");
        }).probe(new VipProbe.Target(vip, 6443), ProbeRunner.Progress.NONE);
        assertFalse(answer.answers());
        assertEquals(Optional.of("network is unreachable"), answer.couldNotCheck());
        VipProbe.Answer timedOut = new VipProbe(a -> false, Duration.ofSeconds(2), (socket, address, timeout) -> {
            throw new SocketTimeoutException("Connect timed out");
        }).probe(new VipProbe.Target(vip, 6443), ProbeRunner.Progress.NONE);
        assertEquals(Optional.empty(), timedOut.couldNotCheck());
    }
}
