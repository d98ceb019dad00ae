package dev.kubeha.exec;

import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.EventSink;
import dev.kubeha.events.RunFailure;
import dev.kubeha.events.StepOutcome;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.plan.InstallFromArchive;
import dev.kubeha.plan.MergeBlock;
import dev.kubeha.plan.Operation;
import dev.kubeha.plan.Phase;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.PushFile;
import dev.kubeha.plan.RunCommand;
import dev.kubeha.plan.Step;
import dev.kubeha.plan.Verification;
import dev.kubeha.plan.WriteFile;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs a plan: each host's steps of a phase start as soon as what that phase needs is done (or, in the barrier
 * schedule, once every earlier phase is done everywhere); one step at a time per host and lane, a bounded number of
 * tasks at once.
 */
public final class Executor {
    /** When a phase's steps may start: once what it needs is done, or after every earlier phase (the old barriers). */
    public enum Schedule { GRAPH, BARRIER }

    /**
     * Limits of a run: how many hosts' tasks (one host's phase in one lane) run at once, the first retry back-off
     * (doubled each attempt) and the schedule.
     */
    public record Settings(int maxParallelHosts, Duration firstBackoff, Schedule schedule) {
        public static final Settings DEFAULTS = new Settings(32, Duration.ofSeconds(2), Schedule.GRAPH);

        public Settings {
            if (maxParallelHosts < 1) {
                throw new IllegalArgumentException("at least one host at a time: " + maxParallelHosts);
            }
        }

        public Settings(int maxParallelHosts, Duration firstBackoff) {
            this(maxParallelHosts, firstBackoff, Schedule.GRAPH);
        }
    }

    /** How many of a host's steps have started (its lanes share it) of how many. */
    private record Position(AtomicInteger started, int total) {
    }

    /** A task the coordinator started has ended. */
    private record Ended(PhaseGraph.Task task, PhaseGraph.State state) {
    }

    private final Function<String, RemoteHost> sessions;
    private final Journal journal;
    private final EventSink sink;
    private final Redactor redactor;
    private final Clock clock;
    private final Settings settings;
    private final FailureHandler failureHandler;
    /**
     * Release archives checked and unpacked in this run: each once, its members in a private directory (0700, files
     * 0600) rather than in memory, as they are large (etcd's three binaries are ~60 MB); removed when the run ends.
     */
    private final Map<InstallFromArchive, Map<String, ReleaseArchive.Member>> archives =
            new ConcurrentHashMap<>();
    private Path unpacked;

    public Executor(Function<String, RemoteHost> sessions, Journal journal, EventSink sink, Redactor redactor,
                    Clock clock, Settings settings) {
        this(sessions, journal, sink, redactor, clock, settings, FailureHandler.ABORT);
    }

    public Executor(Function<String, RemoteHost> sessions, Journal journal, EventSink sink, Redactor redactor,
                    Clock clock, Settings settings, FailureHandler failureHandler) {
        this.failureHandler = failureHandler;
        this.sessions = sessions;
        this.journal = journal;
        this.sink = sink;
        this.redactor = redactor;
        this.clock = clock;
        this.settings = settings;
    }

    public RunResult run(Plan plan, Cancellation cancellation) {
        try {
            return runPlan(plan, cancellation);
        } finally {
            discardUnpacked();
        }
    }

    /**
     * The coordinator: starts every task whose needs are done on an idle host, within the bound, then waits for one
     * to end; only this thread touches the graph. Cancellation starts nothing new and lets running steps finish.
     */
    private RunResult runPlan(Plan plan, Cancellation cancellation) {
        PhaseGraph graph = new PhaseGraph(settings.schedule() == Schedule.BARRIER ? plan.withBarriers() : plan);
        Map<String, Position> positions = new HashMap<>();
        List<RunFailure> failures = Collections.synchronizedList(new ArrayList<>());
        BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
        boolean interrupted = false;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            int running = 0;
            while (true) {
                if (!cancellation.requested() && !interrupted) {
                    for (PhaseGraph.Task task : graph.start(settings.maxParallelHosts() - running)) {
                        if (graph.firstOfPhase(task)) {
                            Phase phase = task.phase();
                            sink.accept(new EngineEvent.PhaseStarted(now(), phase.name(), phase.title(),
                                    List.copyOf(phase.hosts())));
                        }
                        Position position = positions.computeIfAbsent(task.host(),
                                h -> new Position(new AtomicInteger(), plan.stepCount(h)));
                        running++;
                        workers.submit(() -> ended.add(new Ended(task, runTask(task, position, cancellation,
                                failures))));
                    }
                }
                if (running == 0) {
                    break;
                }
                try {
                    Ended task = ended.take();
                    running--;
                    graph.finished(task.task(), task.state());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                graph.ended(false).forEach((phase, ok) -> sink.accept(new EngineEvent.PhaseFinished(now(), phase, ok)));
            }
        }
        graph.ended(true).forEach((phase, ok) -> sink.accept(new EngineEvent.PhaseFinished(now(), phase, ok)));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RunResult result = new RunResult(cancellation.requested() || interrupted, failures);
        sink.accept(new EngineEvent.RunFinished(now(), result.ok(), result.cancelled(), result.failures()));
        return result;
    }

    /** One host's steps of one phase, in order; stops at a failure or when the run is cancelled. */
    private PhaseGraph.State runTask(PhaseGraph.Task task, Position position, Cancellation cancellation,
                                     List<RunFailure> failures) {
        try {
            for (Step step : task.steps()) {
                if (cancellation.requested()) {
                    return PhaseGraph.State.STOPPED;
                }
                if (!runStep(step, position.started().incrementAndGet(), position.total(), failures)) {
                    return PhaseGraph.State.FAILED;
                }
            }
            return PhaseGraph.State.DONE;
        } catch (RuntimeException | Error e) {
            failures.add(new RunFailure.Internal(task.host(), e));
            return PhaseGraph.State.FAILED;
        }
    }

    private boolean runStep(Step step, int index, int total, List<RunFailure> failures) {
        Instant started = now();
        sink.accept(new EngineEvent.StepStarted(started, step.host(), step.id(), step.title(), index, total));
        if (!step.everyRun() && journal.isDone(step)) {
            sink.accept(new EngineEvent.StepFinished(now(), step.host(), step.id(), StepOutcome.JOURNALED,
                    Duration.ZERO));
            return true;
        }
        while (true) {
            Optional<String> error = attempt(step, started);
            if (error.isEmpty()) {
                return true;
            }
            switch (failureHandler.decide(step, error.get())) {
                case RETRY -> sink.accept(new EngineEvent.StepRetrying(now(), step.host(), step.id(), error.get(), 0,
                        Duration.ZERO));
                case SKIP -> {
                    sink.accept(new EngineEvent.StepFinished(now(), step.host(), step.id(), StepOutcome.SKIPPED,
                            Duration.between(started, now())));
                    return true;
                }
                case ABORT -> {
                    failures.add(new RunFailure.Step(step.host(), step.id(), step.title(), error.get()));
                    return false;
                }
            }
        }
    }

    /** Runs the step's attempts; empty when it finished, else the (redacted) error it failed with for good. */
    private Optional<String> attempt(Step step, Instant started) {
        Duration backoff = settings.firstBackoff();
        boolean[] changes = {journal.isPending(step)};
        for (int attempt = 1; ; attempt++) {
            try {
                RemoteHost session = sessions.apply(step.host());
                boolean changed = apply(session, step, changes);
                step.verify().ifPresent(v -> verify(session, step, v));
                journal.record(step);
                sink.accept(new EngineEvent.StepFinished(now(), step.host(), step.id(),
                        changed ? StepOutcome.APPLIED : step.operations().isEmpty() ? StepOutcome.CHECKED
                                : StepOutcome.ALREADY_DONE, Duration.between(started, now())));
                return Optional.empty();
            } catch (TransientFailure e) {
                notePending(step, changes);
                if (attempt >= step.attempts()) {
                    return Optional.of(fail(step, e.getMessage(), attempt));
                }
                sink.accept(new EngineEvent.StepRetrying(now(), step.host(), step.id(), redactor.apply(e.getMessage()),
                        attempt, backoff));
                pause(backoff);
                backoff = backoff.multipliedBy(2);
            } catch (StepFailure e) {
                notePending(step, changes);
                return Optional.of(fail(step, e.getMessage(), attempt));
            }
        }
    }

    private void notePending(Step step, boolean[] changes) {
        if (changes[0] && !journal.isPending(step)) {
            journal.markPending(step);
        }
    }

    private String fail(Step step, String message, int attempts) {
        String redacted = redactor.apply(message);
        sink.accept(new EngineEvent.StepFailed(now(), step.host(), step.id(), redacted, attempts));
        return redacted;
    }

    /** Runs the operations; {@code changes[0]} says whether the host changed (now or in a pending attempt). */
    private boolean apply(RemoteHost session, Step step, boolean[] changes) {
        boolean changedNow = false;
        for (Operation op : step.operations()) {
            switch (op) {
                case WriteFile w -> {
                    if (!hasFile(session, step, w)) {
                        write(session, w.file());
                        changes[0] = true;
                        changedNow = true;
                    }
                }
                case MergeBlock m -> {
                    String existing = read(session, m.path()).map(b -> new String(b, StandardCharsets.UTF_8))
                            .orElse("");
                    String merged = m.mergeInto(existing);
                    if (!merged.equals(existing)) {
                        write(session, RenderedFile.text(step.host(), m.path(), 0644, merged));
                        changes[0] = true;
                        changedNow = true;
                    }
                }
                case PushFile f -> {
                    if (!hasFile(session, step, f.path(), f.mode(), "root", f.sha256())) {
                        write(session, f.path(), s -> s.upload(Path.of(f.source()), f.path(), f.mode(), "root"));
                        if (!hasFile(session, step, f.path(), f.mode(), "root", f.sha256())) {
                            throw new StepFailure(f.path() + ": the copy does not have SHA-256 " + f.sha256());
                        }
                        changes[0] = true;
                        changedNow = true;
                    }
                }
                case InstallFromArchive a -> {
                    Map<String, ReleaseArchive.Member> binaries = archives.computeIfAbsent(a, k ->
                            ReleaseArchive.extractTo(Path.of(k.archive()), k.sha256(), k.members(), unpackDir()));
                    Set<String> packaged = a.keepPackaged() ? packaged(session, step, a) : Set.of();
                    for (String member : a.members()) {
                        ReleaseArchive.Member binary = binaries.get(member);
                        String path = a.targetDir() + "/" + member;
                        if (packaged.contains(path)) {
                            continue;
                        }
                        if (!hasFile(session, step, path, 0755, "root", binary.sha256())) {
                            write(session, path, s -> s.upload(binary.file(), path, 0755, "root"));
                            changes[0] = true;
                            changedNow = true;
                        }
                    }
                }
                case RunCommand r -> {
                    boolean skip = r.onlyAfterChange() ? !changes[0]
                            : r.doneWhen().isPresent() && probe(session, step, r.doneWhen().get()).ok();
                    if (!skip) {
                        ExecResult result = run(session, step, RemoteCommand.change(r.command(), step.timeout()));
                        if (!result.ok()) {
                            throw new StepFailure("`" + r.command() + "` exited " + result.exitCode()
                                    + lastLines(result.stdout() + "\n" + result.stderr()));
                        }
                        changes[0] = true;
                        changedNow = true;
                    }
                }
            }
        }
        return changedNow;
    }

    /** The archive's target files that a dpkg or rpm package on the host owns. */
    private Set<String> packaged(RemoteHost session, Step step, InstallFromArchive a) {
        String paths = String.join(" ", a.members().stream().map(m -> ShellQuote.quote(a.targetDir() + "/" + m))
                .toList());
        ExecResult owned = probe(session, step, "for f in " + paths + "; do { dpkg -S \"$f\" || rpm -qf \"$f\"; }"
                + " >/dev/null 2>&1 && echo \"$f\"; done; true");
        return owned.stdout().lines().map(String::strip).collect(Collectors.toSet());
    }

    private boolean hasFile(RemoteHost session, Step step, WriteFile w) {
        return hasFile(session, step, w.file().path(), w.file().mode(), w.file().owner(), w.file().sha256());
    }

    private boolean hasFile(RemoteHost session, Step step, String path, int mode, String owner, String sha256) {
        String quoted = ShellQuote.quote(path);
        ExecResult present = probe(session, step, "stat -c '%a %U' -- " + quoted + " && sha256sum -- " + quoted);
        String expected = Integer.toOctalString(mode) + " " + owner + "\n" + sha256 + "  " + path;
        return present.ok() && present.stdout().strip().equals(expected);
    }

    /** A fresh private directory (0700) for this executor's unpacked archives, made on first use. */
    private synchronized Path unpackDir() {
        try {
            if (unpacked == null) {
                unpacked = Files.createTempDirectory("kubeha-release-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                unpacked.toFile().deleteOnExit();
            }
            Path dir = Files.createTempDirectory(unpacked, "archive-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new StepFailure("cannot make a private directory to unpack the release archive in: "
                    + e.getMessage());
        }
    }

    private synchronized void discardUnpacked() {
        archives.clear();
        if (unpacked == null) {
            return;
        }
        try (var files = Files.walk(unpacked)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort; what remains is private and goes on exit
        }
        unpacked = null;
    }

    private void verify(RemoteHost session, Step step, Verification v) {
        Instant deadline = now().plus(v.within());
        while (true) {
            ExecResult result = probe(session, step, v.command());
            if (result.ok()) {
                return;
            }
            if (!now().isBefore(deadline)) {
                throw new TransientFailure("verification `" + v.command() + "` failed"
                        + lastLines(result.stdout() + "\n" + result.stderr()));
            }
            pause(v.every());
        }
    }

    private ExecResult probe(RemoteHost session, Step step, String command) {
        return run(session, step, RemoteCommand.probe(command, step.timeout()));
    }

    private ExecResult run(RemoteHost session, Step step, RemoteCommand command) {
        sink.accept(new EngineEvent.CommandStarted(now(), step.host(), step.id(), redactor.apply(command.script())));
        try {
            return session.run(command, line -> sink.accept(
                    new EngineEvent.OutputLine(now(), step.host(), step.id(), redactor.apply(line.text()))));
        } catch (SshException e) {
            throw classify(e);
        }
    }

    /** Uploads the file, creating its directory first (root's, 0755) when the host does not have it yet. */
    private static void write(RemoteHost session, RenderedFile file) {
        write(session, file.path(), s -> s.upload(file.content(), file.path(), file.mode(), file.owner()));
    }

    private interface Upload {
        void to(RemoteHost session) throws SshException;
    }

    private static void write(RemoteHost session, String path, Upload upload) {
        String dir = path.substring(0, Math.max(1, path.lastIndexOf('/')));
        try {
            session.run(RemoteCommand.probe("test -d " + ShellQuote.quote(dir) + " || mkdir -p -m 0755 "
                    + ShellQuote.quote(dir), Duration.ofSeconds(30)), line -> { });
            upload.to(session);
        } catch (SshException e) {
            throw classify(e);
        }
    }

    private static Optional<byte[]> read(RemoteHost session, String path) {
        try {
            return session.read(path);
        } catch (SshException e) {
            throw classify(e);
        }
    }

    /** A lost or unreachable host is worth another attempt; refused credentials or keys are not. */
    static RuntimeException classify(SshException e) {
        return switch (e) {
            case SshException.Unreachable u -> new TransientFailure(u.getMessage(), u);
            case SshException.ConnectionLost l -> new TransientFailure(l.getMessage(), l);
            case SshException.CommandTimedOut t -> new TransientFailure(t.getMessage(), t);
            case SshException.AuthFailed a -> new StepFailure(a.getMessage(), a);
            case SshException.HostKeyUnknown k -> new StepFailure(k.getMessage(), k);
            case SshException.HostKeyChanged k -> new StepFailure(k.getMessage(), k);
            case SshException.SudoFailed s -> new StepFailure(s.getMessage(), s);
            case SshException.FileFailed f -> new StepFailure(f.getMessage(), f);
            case SshException.Interrupted i -> new StepFailure(i.getMessage(), i);
        };
    }

    private static String lastLines(String output) {
        String[] lines = output.strip().lines().filter(l -> !l.isBlank()).toArray(String[]::new);
        if (lines.length == 0 || lines[0].isEmpty()) {
            return "";
        }
        int from = Math.max(0, lines.length - 5);
        return ": " + String.join(" | ", Arrays.copyOfRange(lines, from, lines.length));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted");
        }
    }

    private Instant now() {
        return clock.instant();
    }
}
