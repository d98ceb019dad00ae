package dev.kubeha.exec;

import dev.kubeha.render.RenderedFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** An in-memory host for executor tests: files, "flags" set by `touch-flag X` and checked by `has-flag X`. */
public final class FakeHost implements HostSession {
    static final AtomicInteger BUSY = new AtomicInteger();
    static final AtomicInteger MOST_BUSY = new AtomicInteger();

    final String name;
    final Map<String, RenderedFile> files = new ConcurrentHashMap<>();
    public final Set<String> flags = ConcurrentHashMap.newKeySet();
    final List<String> commands = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> writes = java.util.Collections.synchronizedList(new ArrayList<>());
    public final Set<String> failing = ConcurrentHashMap.newKeySet();
    int dropsLeft;
    Duration latency = Duration.ZERO;

    public FakeHost(String name) {
        this.name = name;
    }

    @Override
    public CommandResult run(String command, Duration timeout, Consumer<String> lines) {
        int busy = BUSY.incrementAndGet();
        MOST_BUSY.accumulateAndGet(busy, Math::max);
        try {
            if (!latency.isZero()) {
                Thread.sleep(latency);
            }
            if (dropsLeft > 0) {
                dropsLeft--;
                throw new TransientFailure(name + ": connection dropped");
            }
            commands.add(command);
            return interpret(command, lines);
        } catch (InterruptedException e) {
            throw new TransientFailure("interrupted");
        } finally {
            BUSY.decrementAndGet();
        }
    }

    private CommandResult interpret(String command, Consumer<String> lines) {
        if (command.startsWith("stat -c '%a %U' -- ")) {
            String path = command.substring("stat -c '%a %U' -- ".length(), command.indexOf(" && "));
            RenderedFile f = files.get(path);
            return f == null ? new CommandResult(1, "stat: cannot statx")
                    : new CommandResult(0, Integer.toOctalString(f.mode()) + " " + f.owner() + "\n"
                    + Executor.sha256(f.content()) + "  " + path + "\n");
        }
        String[] words = command.split(" ", 2);
        String arg = words.length > 1 ? words[1] : "";
        return switch (words[0]) {
            case "has-flag" -> new CommandResult(flags.contains(arg) ? 0 : 1, "");
            case "touch-flag" -> {
                if (failing.contains(arg)) {
                    lines.accept("error: cannot " + arg);
                    yield new CommandResult(3, "error: cannot " + arg);
                }
                flags.add(arg);
                lines.accept("did " + arg);
                yield new CommandResult(0, "did " + arg);
            }
            case "echo" -> {
                lines.accept(arg);
                yield new CommandResult(0, arg);
            }
            default -> new CommandResult(127, words[0] + ": not found");
        };
    }

    @Override
    public java.util.Optional<byte[]> read(String path, Duration timeout) {
        return java.util.Optional.ofNullable(files.get(path)).map(RenderedFile::content);
    }

    @Override
    public void write(RenderedFile file, Duration timeout) {
        writes.add(file.path());
        files.put(file.path(), file);
    }
}
