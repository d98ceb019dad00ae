package dev.kubeha.exec;

import dev.kubeha.render.RenderedFile;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.OutputLine;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * An in-memory host for executor tests: files, "flags" set by `touch-flag X` and checked by `has-flag X`; a gated
 * flag waits until its gate opens, and with {@code holdUntilBusy} every command waits until that many ran at once.
 */
public final class FakeHost implements RemoteHost {
    static final AtomicInteger BUSY = new AtomicInteger();
    static final AtomicInteger MOST_BUSY = new AtomicInteger();
    static final Duration LONGEST_WAIT = Duration.ofSeconds(20);
    static volatile int holdUntilBusy;

    final String name;
    final Map<String, RenderedFile> files = new ConcurrentHashMap<>();
    public final Set<String> flags = ConcurrentHashMap.newKeySet();
    final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    public final Set<String> failing = ConcurrentHashMap.newKeySet();
    /** Files a package owns on this host, as dpkg -S or rpm -qf would say. */
    public final Set<String> packaged = ConcurrentHashMap.newKeySet();
    final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    int dropsLeft;
    Duration latency = Duration.ZERO;

    public FakeHost(String name) {
        this.name = name;
    }

    @Override
    public String where() {
        return "root@" + name + ":22";
    }

    @Override
    public void connect() {
    }

    @Override
    public void close() {
    }

    @Override
    public ExecResult run(RemoteCommand remote, Consumer<OutputLine> output) throws SshException {
        String command = remote.script();
        Consumer<String> lines = text -> output.accept(new OutputLine(OutputLine.Pipe.STDOUT, text));
        int busy = BUSY.incrementAndGet();
        MOST_BUSY.accumulateAndGet(busy, Math::max);
        try {
            waitUntilBusy();
            if (!latency.isZero()) {
                Thread.sleep(latency);
            }
            if (dropsLeft > 0) {
                dropsLeft--;
                throw new SshException.ConnectionLost(where(), "connection dropped", null);
            }
            commands.add(command);
            return interpret(command, lines);
        } catch (InterruptedException e) {
            throw new SshException.Interrupted(where(), command);
        } finally {
            BUSY.decrementAndGet();
        }
    }

    /** Holds a command until {@code holdUntilBusy} commands have run at once (or the longest wait is over). */
    private static void waitUntilBusy() throws InterruptedException {
        long deadline = System.nanoTime() + LONGEST_WAIT.toNanos();
        synchronized (BUSY) {
            BUSY.notifyAll();
            while (MOST_BUSY.get() < holdUntilBusy && System.nanoTime() < deadline) {
                BUSY.wait(10);
            }
        }
    }

    private ExecResult interpret(String command, Consumer<String> lines) throws InterruptedException {
        if (command.startsWith("stat -c '%a %U' -- ")) {
            String path = command.substring("stat -c '%a %U' -- ".length(), command.indexOf(" && "));
            RenderedFile f = files.get(path);
            return f == null ? result(command, 1, "stat: cannot statx")
                    : result(command, 0, Integer.toOctalString(f.mode()) + " " + f.owner() + "\n"
                    + f.sha256() + "  " + path + "\n");
        }
        if (command.startsWith("for f in ") && command.contains("dpkg -S \"$f\" || rpm -qf \"$f\"")) {
            String owned = Arrays.stream(command.substring("for f in ".length(), command.indexOf("; do"))
                    .split(" ")).map(p -> p.replace("'", "")).filter(packaged::contains)
                    .collect(Collectors.joining("\n"));
            return result(command, 0, owned.isEmpty() ? "" : owned + "\n");
        }
        String[] words = command.split(" ", 2);
        String arg = words.length > 1 ? words[1] : "";
        return switch (words[0]) {
            case "has-flag" -> result(command, flags.contains(arg) ? 0 : 1, "");
            case "touch-flag" -> {
                CountDownLatch gate = gates.get(arg);
                if (gate != null && !gate.await(LONGEST_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    yield result(command, 4, "the gate of " + arg + " never opened");
                }
                if (failing.contains(arg)) {
                    lines.accept("error: cannot " + arg);
                    yield result(command, 3, "error: cannot " + arg);
                }
                flags.add(arg);
                lines.accept("did " + arg);
                yield result(command, 0, "did " + arg);
            }
            case "echo" -> {
                lines.accept(arg);
                yield result(command, 0, arg);
            }
            default -> result(command, 127, words[0] + ": not found");
        };
    }

    private static ExecResult result(String command, int exitCode, String stdout) {
        return new ExecResult(command, exitCode, stdout, "", Duration.ZERO);
    }

    @Override
    public Optional<byte[]> read(String path) {
        return Optional.ofNullable(files.get(path)).map(RenderedFile::content);
    }

    @Override
    public void upload(byte[] content, String path, int mode, String owner) {
        writes.add(path);
        files.put(path, new RenderedFile(name, path, mode, owner, content));
    }
}
