package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.LoadBalancerSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class HaproxyTest {
    private final ClusterSpec spec = Guide.spec();

    @Test
    void everyControlPlaneIsCheckedOverTls() {
        String cfg = HaproxyConfig.render(spec, Guide.SECRETS).get(0).text();
        assertTrue(cfg.contains("    bind *:16443\n"));
        for (String line : List.of("option httpchk", "http-check connect ssl", "http-check send meth GET uri /healthz",
                "http-check expect status 200", "server worker1 10.0.8.6:6443 check check-ssl verify none",
                "server worker2 10.0.8.12:6443 check check-ssl verify none", "bind 127.0.0.1:8404",
                "stats auth admin:" + Guide.SECRETS.haproxyStatsPassword(),
                "stats socket /var/lib/haproxy/admin.sock mode 600 level admin")) {
            assertTrue(cfg.contains("    " + line + "\n"), line);
        }
    }

    @Tag("tools")
    @Test
    void haproxyAcceptsTheRenderedConfig() throws Exception {
        Path root = Files.createTempDirectory(Path.of("target"), "haproxy");
        Path cfg = Tools.write(root, HaproxyConfig.render(spec, Guide.SECRETS).get(0));
        Tools.Result result = Tools.run(List.of("haproxy", "-c", "-f", cfg.toString()));
        assertEquals(0, result.exit(), result.output());
        assertTrue(!result.output().contains("WARNING") && !result.output().contains("ALERT"), result.output());
    }

    @Tag("tools")
    @Test
    void checkScriptFollowsARealHaproxy() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        LoadBalancerSpec lb = spec.loadBalancer();
        ClusterSpec onPort = new ClusterSpec(spec.cluster(), spec.ssh(), spec.hosts(),
                new LoadBalancerSpec(lb.vip(), port, lb.networkInterface(), lb.virtualRouterId(), lb.vrrp()),
                spec.network(), spec.etcd(), spec.containerRuntime(), spec.addons());
        Path root = Files.createTempDirectory(Path.of("target"), "check-haproxy");
        RenderedFile rendered = Keepalived.render(onPort, Guide.facts(spec), Guide.SECRETS).stream()
                .filter(f -> f.path().equals(Keepalived.CHECK_SCRIPT)).findFirst().orElseThrow();
        Path script = Tools.write(root, rendered);
        Path cfg = root.resolve("test-haproxy.cfg");
        Files.writeString(cfg, "defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 5s\n"
                + "    timeout server 5s\nfrontend local\n    bind 127.0.0.1:" + port + "\n"
                + "    default_backend none\nbackend none\n");
        Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("haproxy.log").toFile()).start();
        try {
            waitForPort(port);
            assertEquals(0, Tools.run(List.of(script.toString())).exit(), "haproxy up and answering");
        } finally {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
        assertNotEquals(0, Tools.run(List.of(script.toString())).exit(), "haproxy stopped");
        String commands = rendered.text().replaceAll("(?m)^#.*\n", "");
        assertTrue(!commands.contains("systemctl") && !commands.contains("kill"),
                "the check never restarts or kills anything");
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("haproxy did not listen on 127.0.0.1:" + port);
    }
}
