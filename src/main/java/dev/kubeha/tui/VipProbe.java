package dev.kubeha.tui;

import dev.kubeha.facts.VipReply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Asks the network from the jump host whether anything answers on the VIP before install: an echo request (as
 * {@link VipReply#answers}, the check {@code kubeha apply}'s preflight makes) and TCP connects to port 22 and the load
 * balancer's port, where a connection or a refusal both mean a machine holds the address.
 */
public final class VipProbe implements ProbeRunner.Probe<VipProbe.Target, VipProbe.Answer> {
    /** The VIP and the load balancer's port. */
    public record Target(InetAddress vip, int port) {
    }

    /**
     * What answered on the VIP, in words ("echo", "tcp/22 open", "tcp/6443 refused"); empty when nothing did.
     *
     * @param couldNotCheck why silence proves nothing (no route to the VIP, an error), when it does not
     */
    public record Answer(List<String> answeredOn, Optional<String> couldNotCheck) {
        public Answer {
            answeredOn = List.copyOf(answeredOn);
        }

        public Answer(List<String> answeredOn) {
            this(answeredOn, Optional.empty());
        }

        static Answer unchecked(String reason) {
            return new Answer(List.of(), Optional.of(reason));
        }

        public boolean answers() {
            return !answeredOn.isEmpty();
        }
    }

    /** Opens a TCP connection, as {@link Socket#connect} does. */
    interface Connector {
        void connect(Socket socket, InetSocketAddress address, int timeoutMillis) throws IOException;
    }

    private final Predicate<InetAddress> echo;
    private final Duration timeout;
    private final Connector connector;

    public VipProbe(Predicate<InetAddress> echo, Duration timeout) {
        this(echo, timeout, Socket::connect);
    }

    VipProbe(Predicate<InetAddress> echo, Duration timeout, Connector connector) {
        this.echo = echo;
        this.timeout = timeout;
        this.connector = connector;
    }

    /** The echo request of preflight and TCP connects with a short timeout. */
    public static VipProbe standard() {
        return new VipProbe(VipReply::answers, Duration.ofMillis(1500));
    }

    @Override
    public Answer probe(Target target, ProbeRunner.Progress progress) throws InterruptedException {
        List<String> on = new ArrayList<>();
        progress.stage("echo request");
        if (echo.test(target.vip())) {
            on.add("echo");
        }
        Optional<String> unreachable = Optional.empty();
        Set<Integer> ports = new LinkedHashSet<>(List.of(22, target.port()));
        for (int port : ports) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            progress.stage("tcp/" + port);
            try (Socket socket = new Socket()) {
                progress.onCancel(socket);
                connector.connect(socket, new InetSocketAddress(target.vip(), port), (int) timeout.toMillis());
                on.add("tcp/" + port + " open");
            } catch (SocketTimeoutException e) {
                // silence on this port: nothing answered within the timeout
            } catch (IOException e) {
                String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                if (message.contains("refused")) {
                    on.add("tcp/" + port + " refused");
                } else {
                    unreachable = Optional.of(message.replaceFirst(" \\(connect failed\\)$", ""));
                }
            }
        }
        return on.isEmpty() && unreachable.isPresent() ? Answer.unchecked(unreachable.get()) : new Answer(on);
    }
}
