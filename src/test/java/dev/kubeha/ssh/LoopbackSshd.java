package dev.kubeha.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real OpenSSH sshd on 127.0.0.1 and a free port, with its own host key, config, keys and log in a temp dir. */
public final class LoopbackSshd implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    final Path dir;
    public final int port;
    private Process process;

    public LoopbackSshd(Path dir, Path authorizedKeysDir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.port = freePort();
        newHostKey();
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ed25519"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeysDir + "/%u",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin yes",
                "PubkeyAuthentication yes",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "AllowTcpForwarding yes",
                "MaxStartups 50",
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE",
                ""));
        Files.createDirectories(Path.of("/run/sshd"));
        start();
    }

    public void newHostKey() throws IOException, InterruptedException {
        Files.deleteIfExists(dir.resolve("host_ed25519"));
        Files.deleteIfExists(dir.resolve("host_ed25519.pub"));
        Tools.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-host", "-f",
                dir.resolve("host_ed25519").toString());
    }

    public void start() throws IOException, InterruptedException {
        Tools.run(SSHD.toString(), "-t", "-f", dir.resolve("sshd_config").toString());
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString(),
                "-p", Integer.toString(port))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("sshd did not start on port " + port + ": " + log());
                }
                Thread.sleep(50);
            }
        }
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Kills every per-connection sshd child, as if each network connection had died. */
    int killConnections() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        return children.size();
    }

    /** The inodes of every socket the per-connection sshd children hold open. */
    Set<Long> descendantsSockets() {
        Set<Long> inodes = new HashSet<>();
        for (ProcessHandle child : process.descendants().toList()) {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(child.pid()), "fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String link = Files.readSymbolicLink(fd).toString();
                        if (link.startsWith("socket:[")) {
                            inodes.add(Long.parseLong(link.substring(8, link.length() - 1)));
                        }
                    } catch (IOException gone) {
                        // the descriptor closed while listing
                    }
                }
            } catch (IOException gone) {
                // the process ended while listing
            }
        }
        return inodes;
    }

    public String hostKeyLine() throws IOException {
        String[] pub = Files.readString(dir.resolve("host_ed25519.pub")).strip().split(" ");
        return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n";
    }

    public String hostKeyFingerprint() throws IOException, InterruptedException {
        return Tools.run("ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host_ed25519.pub").toString())
                .split(" ")[1];
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
