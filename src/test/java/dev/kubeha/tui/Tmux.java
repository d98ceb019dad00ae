package dev.kubeha.tui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A private tmux server with one session running a command at a fixed size; keys in, screen text out. */
public final class Tmux implements AutoCloseable {
    private final Path socket;

    public Tmux(Path dir, int columns, int rows, String shellCommand) throws IOException, InterruptedException {
        this.socket = dir.resolve("tmux.sock");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Process p = tmux("-f", "/dev/null", "new-session", "-d", "-x", Integer.toString(columns), "-y",
                    Integer.toString(rows), "-s", "kubeha", "env TERM=xterm-256color " + shellCommand
                            + "; echo KUBEHA-EXIT=$?; sleep 600");
            if (p.waitFor() == 0) {
                return;
            }
            last = new IOException("tmux new-session failed: " + new String(p.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        throw last;
    }

    private Process tmux(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    public void send(String... keys) throws IOException, InterruptedException {
        for (String key : keys) {
            List<String> args = new ArrayList<>(List.of("send-keys", "-t", "kubeha"));
            if (key.length() > 1 && !Character.isUpperCase(key.charAt(0)) && !key.startsWith("F")) {
                args.add("-l");
            }
            args.add(key);
            Process p = tmux(args.toArray(String[]::new));
            if (p.waitFor() != 0) {
                throw new IOException("tmux send-keys " + key + " failed");
            }
        }
    }

    /** Resizes the session's window, which sends the program in it SIGWINCH. */
    public void resize(int columns, int rows) throws IOException, InterruptedException {
        Process p = tmux("resize-window", "-t", "kubeha", "-x", Integer.toString(columns), "-y",
                Integer.toString(rows));
        if (p.waitFor() != 0) {
            throw new IOException("tmux resize-window failed: " + new String(p.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }

    public String screen() throws IOException, InterruptedException {
        Process p = tmux("capture-pane", "-p", "-t", "kubeha");
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }

    /** Polls the pane until it satisfies the condition and stops changing, or fails with the last screen. */
    public String await(String what, Predicate<String> condition, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String previous = "";
        String text = screen();
        while (!condition.test(text) || !text.equals(previous)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the screen was:\n" + text);
            }
            Thread.sleep(100);
            previous = text;
            text = screen();
        }
        return text;
    }

    public String await(String text, Duration timeout) throws IOException, InterruptedException {
        return await("'" + text + "'", s -> s.contains(text), timeout);
    }

    /** From the first step of a wizard to the editor of its first host on the Hosts step. */
    void toAFirstHost(Duration step) throws IOException, InterruptedException {
        send("NPage");
        await("step 2/8", step);
        send("NPage");
        await("step 3/8", step);
        send("Enter");
        await("Host 1 of 1", step);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tmux("kill-server").waitFor();
    }
}
