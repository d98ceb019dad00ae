package dev.kubeha.testing;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real OCI registry (Debian's docker-registry, distribution 2.x) on 127.0.0.1 for tests, with its own config and
 * storage, and tiny images pushed to it with jib-core.
 */
public final class LocalRegistry implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private final Process process;
    private final String address;
    private final Path dir;

    /** On a free port of 127.0.0.1. */
    public LocalRegistry(Path dir) throws IOException, InterruptedException {
        this(dir, "127.0.0.1:" + freePort());
    }

    /** On host:port, e.g. an address of the lab's jump namespace when run inside it. */
    public LocalRegistry(Path dir, String address) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: apt-get install docker-registry (./install.sh --test"
                    + " installs it and disables its service)");
        }
        this.dir = dir;
        this.address = address;
        Path config = Files.writeString(dir.resolve("config.yml"), "version: 0.1\nlog:\n  level: error\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage") + "\n"
                + "http:\n  addr: " + address + "\n", StandardCharsets.UTF_8);
        process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!answers()) {
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                close();
                throw new AssertionError("docker-registry did not start: "
                        + Files.readString(dir.resolve("registry.log")));
            }
            Thread.sleep(100);
        }
    }

    /** host:port, as an image repository. */
    public String address() {
        return address;
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /** Pushes a one-layer image from scratch holding /NAME with the given text, for linux/amd64. */
    public void push(String reference, String text) throws Exception {
        Path layer = Files.createTempDirectory(dir, "layer");
        Path file = Files.writeString(layer.resolve("content"), text, StandardCharsets.UTF_8);
        Jib.fromScratch().addLayer(List.of(file), AbsoluteUnixPath.get("/")).setEntrypoint("/content")
                .containerize(Containerizer.to(RegistryImage.named(reference)).setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(dir.resolve("jib-cache"))
                        .setApplicationLayersCache(dir.resolve("jib-app-cache")));
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + address() + "/v2/").toURL()
                    .openConnection();
            c.setConnectTimeout(500);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
