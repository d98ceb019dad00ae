package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.render.HaproxyConfig;
import dev.kubeha.testing.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The drain and ready commands against a real haproxy's runtime API, on loopback: a server is drained only while
 * another one is UP, shows as drained, and comes back UP; haproxy's refusal of an unknown server fails the command.
 */
@Tag("tools")
class ApiserverRestartToolsTest {
    @Test
    void drainRefuseAndReadyThroughTheRuntimeApi() throws Exception {
        Path root = Files.createTempDirectory(Path.of("target"), "runtime-api").toAbsolutePath();
        String socket = root.resolve("admin.sock").toString();
        try (ServerSocket cp1 = listen(); ServerSocket cp2 = listen(); ServerSocket front = listen()) {
            int frontPort = front.getLocalPort();
            front.close();
            Path cfg = root.resolve("haproxy.cfg");
            Files.writeString(cfg, "global\n    stats socket " + socket + " mode 600 level admin\n"
                    + "defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n"
                    + "frontend api\n    bind 127.0.0.1:" + frontPort + "\n    default_backend "
                    + HaproxyConfig.BACKEND + "\nbackend " + HaproxyConfig.BACKEND + "\n"
                    + "    default-server inter 200ms fall 2 rise 1\n"
                    + "    server cp1 127.0.0.1:" + cp1.getLocalPort() + " check\n"
                    + "    server cp2 127.0.0.1:" + cp2.getLocalPort() + " check\n");
            Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString()).redirectErrorStream(true)
                    .redirectOutput(root.resolve("haproxy.log").toFile()).start();
            try {
                waitFor("UP", socket, "cp1");
                waitFor("UP", socket, "cp2");
                assertEquals(1, bash(ApiserverRestart.drained(socket, "cp1")).exitCode());

                Processes.Result drain = bash(ApiserverRestart.drainCommand(socket, "cp1"));
                assertEquals(0, drain.exitCode(), drain.output());
                assertEquals(0, bash(ApiserverRestart.drained(socket, "cp1")).exitCode());
                assertEquals("DRAIN", bash(ApiserverRestart.status(socket, "cp1")).stdout().strip());

                Processes.Result refused = bash(ApiserverRestart.drainCommand(socket, "cp2"));
                assertEquals(1, refused.exitCode(), refused.output());
                assertTrue(refused.stderr().contains("no other kube-apiserver is UP behind this haproxy"),
                        refused.output());
                assertEquals(1, bash(ApiserverRestart.drained(socket, "cp2")).exitCode(), "cp2 left alone");

                Processes.Result unknown = bash(ApiserverRestart.readyCommand(socket, "cp3"));
                assertEquals(1, unknown.exitCode(), unknown.output());
                assertTrue(unknown.stderr().contains("No such server"), unknown.output());

                Processes.Result ready = bash(ApiserverRestart.readyCommand(socket, "cp1"));
                assertEquals(0, ready.exitCode(), ready.output());
                waitFor("UP", socket, "cp1");
                assertEquals(1, bash(ApiserverRestart.drained(socket, "cp1")).exitCode());
            } finally {
                haproxy.destroy();
                haproxy.waitFor(10, TimeUnit.SECONDS);
            }
            Processes.Result gone = bash(ApiserverRestart.drainCommand(socket, "cp1"));
            assertEquals(1, gone.exitCode(), "no haproxy, no drain: " + gone.output());
        }
    }

    private static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private static void waitFor(String status, String socket, String server) throws InterruptedException {
        String last = "";
        for (int i = 0; i < 100; i++) {
            last = bash(ApiserverRestart.status(socket, server)).stdout().strip();
            if (last.equals(status)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(server + " is " + last + ", not " + status);
    }

    private static Processes.Result bash(String command) {
        return Processes.run(Duration.ofSeconds(30), List.of("bash", "-c", command));
    }
}
