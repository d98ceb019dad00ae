package dev.kubeha.cli;

import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.EventSink;
import dev.kubeha.exec.Cancellation;
import dev.kubeha.exec.Executor;
import dev.kubeha.exec.FailureHandler;
import dev.kubeha.exec.FanOut;
import dev.kubeha.exec.HostLock;
import dev.kubeha.exec.HostLogs;
import dev.kubeha.exec.Journal;
import dev.kubeha.exec.Redactor;
import dev.kubeha.exec.RunResult;
import dev.kubeha.exec.SupportBundle;
import dev.kubeha.facts.FactsProbe;
import dev.kubeha.facts.Preflight;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.facts.ProbedHost;
import dev.kubeha.facts.VipReply;
import dev.kubeha.model.HostSpec;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.PlanInput;
import dev.kubeha.plan.Planner;
import dev.kubeha.progress.HeadlessProgress;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshHosts;
import dev.kubeha.ssh.SshSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code kubeha apply}: connects, probes, checks, then runs the plan on every host, resuming from the journal. */
public final class ApplyCommand implements Command {
    static final Option YES = Option.flag("--yes", "Do not ask for confirmation.");
    static final java.time.Duration CANCEL_GRACE = java.time.Duration.ofSeconds(60);
    static final Option ACCEPT_NEW = Option.flag("--accept-new-host-keys",
            "Trust hosts whose SSH key is not known yet (the fingerprints are recorded in the state directory).");
    static final Option ONLY = Option.value(null, "--only", "PHASES", "Run only these phases (comma-separated).");
    static final Option SKIP = Option.value(null, "--skip", "PHASES", "Run every phase but these (comma-separated).");
    static final Option BREAK_LOCK = Option.flag("--break-lock",
            "Remove another run's lock on the hosts first (only when that run is gone).");
    static final Option PARALLEL = Option.value(null, "--max-parallel", "N",
            "How many hosts work at once (default 32).");

    @Override
    public String name() {
        return "apply";
    }

    @Override
    public String summary() {
        return "Install or complete the cluster on the hosts, headless; re-runs resume and change nothing done.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, YES, ACCEPT_NEW, ONLY, SKIP, BREAK_LOCK, PARALLEL, Workspace.STATE_DIR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Phases: " + String.join(", ", Planner.phaseNames()) + ".",
                "Exit codes: 0 everything done and verified, 1 problems or a failed step, 2 usage error.",
                "Logs, the journal and support bundles are in the state directory.");
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        Set<String> only = phases(args, ONLY);
        Set<String> skip = phases(args, SKIP);
        int parallel = parallel(args);
        Optional<Workspace> opened = Workspace.open(args, context);
        if (opened.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        Workspace w = opened.get();
        Clock clock = context.clock();
        Redactor redactor = Redactor.of(w.secrets());
        FanOut fanOut = new FanOut(parallel);
        HostLock.Holder holder = HostLock.Holder.current(clock);
        SshSettings settings = SshSettings.defaults(w.state().root(), Prompts.hostKeys(args.flag(ACCEPT_NEW.name())),
                Prompts.secrets());
        Map<String, HostSpec> specs = new LinkedHashMap<>();
        w.spec().hosts().forEach(h -> specs.put(h.name(), h));
        Set<String> locked = Collections.synchronizedSet(new LinkedHashSet<>());
        try (SshHosts ssh = new SshHosts(settings)) {
            try {
                return apply(args, context, w, ssh, specs, fanOut, holder, locked, only, skip, parallel, redactor);
            } finally {
                fanOut.run(List.copyOf(locked), name -> {
                    HostLock.release(ssh.host(specs.get(name), w.spec().ssh()), holder);
                    return null;
                });
            }
        }
    }

    private int apply(Arguments args, CliContext context, Workspace w, SshHosts ssh, Map<String, HostSpec> specs,
                      FanOut fanOut, HostLock.Holder holder, Set<String> locked, Set<String> only, Set<String> skip,
                      int parallel, Redactor redactor) {
        var out = context.out();
        out.println("connecting to " + specs.size() + " hosts and taking their locks");
        out.flush();
        Map<String, FanOut.Outcome<ProbedHost>> probed = fanOut.run(specs.keySet(), name -> {
            RemoteHost host = ssh.host(specs.get(name), w.spec().ssh());
            host.connect();
            HostLock.acquire(host, holder, args.flag(BREAK_LOCK.name()));
            locked.add(name);
            return FactsProbe.probe(host, w.spec(), specs.get(name), context.clock());
        });
        List<String> unreachable = probed.entrySet().stream().filter(e -> !e.getValue().ok())
                .map(e -> e.getKey() + ": " + e.getValue().error()).toList();
        if (!unreachable.isEmpty()) {
            unreachable.forEach(u -> context.err().println("error: " + u));
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        Map<String, ProbedHost> facts = new LinkedHashMap<>();
        probed.forEach((name, outcome) -> facts.put(name, outcome.value()));
        Path journalDir = w.state().root().resolve("journal");
        Journal journal = new Journal(journalDir, context.clock());
        Set<String> journaled = specs.keySet().stream().filter(h -> Files.exists(journal.file(h)))
                .collect(Collectors.toSet());
        List<PreflightResult> checks = new ArrayList<>(Preflight.check(w.spec(), facts, journaled));
        VipReply.check(w.spec(), facts, VipReply::answers).ifPresent(checks::add);
        printPreflight(context, checks);
        if (PreflightResult.anyFailed(checks)) {
            context.err().println("preflight failed: fix the problems above, then run kubeha apply again");
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        Map<String, dev.kubeha.facts.HostFacts> hostFacts = new LinkedHashMap<>();
        facts.forEach((name, p) -> hostFacts.put(name, p.facts()));
        Plan plan = Planner.plan(new PlanInput(w.spec(), hostFacts, w.files(hostFacts, Optional.empty())))
                .select(only, skip);
        int steps = plan.phases().stream().mapToInt(p -> p.steps().size()).sum();
        if (!args.flag(YES.name()) && !Prompts.confirm("Apply " + steps + " steps in " + plan.phases().size()
                + " phases on " + specs.size() + " hosts of cluster " + w.spec().cluster().name() + "?")) {
            context.err().println("not confirmed: nothing was changed (use --yes to run without asking)");
            return ExitCodes.PROBLEMS;
        }
        List<EngineEvent.StepFailed> failed = Collections.synchronizedList(new ArrayList<>());
        Cancellation cancellation = new Cancellation();
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            cancellation.request();
            try {
                // Ctrl-C: let the steps in flight finish and be journaled before the JVM exits.
                finished.await(CANCEL_GRACE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kubeha-cancel");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        RunResult result;
        try (HostLogs logs = new HostLogs(w.state().root().resolve("logs"));
             HeadlessProgress progress = progress(plan, context)) {
            EventSink sink = EventSink.all(List.of(logs, progress, e -> {
                if (e instanceof EngineEvent.StepFailed f) {
                    failed.add(f);
                }
            }));
            result = new Executor(name -> ssh.host(specs.get(name), w.spec().ssh()), journal, sink, redactor,
                    context.clock(), new Executor.Settings(parallel, Executor.Settings.DEFAULTS.firstBackoff()),
                    FailureHandler.ABORT).run(plan, cancellation);
            for (EngineEvent.StepFailed f : failed) {
                bundle(context, w, ssh, specs, facts, logs, f, redactor);
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already shutting down and runs the hook itself.
            }
        }
        if (result.ok()) {
            out.println("done: every step of " + String.join(", ", plan.phaseNames()) + " is applied and verified"
                    + " (logs: " + w.state().root().resolve("logs") + ")");
            out.flush();
            return ExitCodes.OK;
        }
        result.failures().forEach(f -> context.err().println("failed: " + f));
        context.err().println(result.cancelled() ? "cancelled: finished steps are journaled; run again to resume"
                : "the journal keeps every finished step: fix the cause and run the same command again");
        context.err().flush();
        return ExitCodes.PROBLEMS;
    }

    /** Live status lines on a terminal, timestamped lines otherwise (and when the terminal cannot be opened). */
    private static HeadlessProgress progress(Plan plan, CliContext context) {
        try {
            return HeadlessProgress.forConsole(plan, ZoneId.systemDefault());
        } catch (IOException e) {
            return HeadlessProgress.plain(plan, context.out(), ZoneId.systemDefault());
        }
    }

    private static void bundle(CliContext context, Workspace w, SshHosts ssh, Map<String, HostSpec> specs,
                               Map<String, ProbedHost> facts, HostLogs logs, EngineEvent.StepFailed f,
                               Redactor redactor) {
        try {
            Path dir = SupportBundle.write(w.state().root().resolve("support"), f.at(), f.host(), f.stepId(),
                    f.host() + ": " + f.stepId() + ": " + f.error(), logs.file(f.host()),
                    String.valueOf(facts.get(f.host())), Optional.of(ssh.host(specs.get(f.host()), w.spec().ssh())),
                    redactor);
            context.err().println("support bundle for " + f.host() + ": " + dir);
        } catch (IOException e) {
            context.err().println("could not write the support bundle for " + f.host() + ": " + e.getMessage());
        }
    }

    private static void printPreflight(CliContext context, List<PreflightResult> checks) {
        long passed = checks.stream().filter(c -> c.status() == PreflightResult.Status.PASS).count();
        for (PreflightResult c : checks) {
            if (c.status() != PreflightResult.Status.PASS) {
                context.out().println("preflight " + c.status().name().toLowerCase(java.util.Locale.ROOT) + ": "
                        + c.host() + ": " + c.check() + ": " + c.reason());
            }
        }
        context.out().println("preflight: " + passed + " of " + checks.size() + " checks passed");
        context.out().flush();
    }

    private static Set<String> phases(Arguments args, Option option) throws UsageException {
        Set<String> names = args.value(option.name()).map(v -> new LinkedHashSet<>(Arrays.asList(v.split(","))))
                .orElse(new LinkedHashSet<>());
        for (String name : names) {
            if (!Planner.phaseNames().contains(name)) {
                throw new UsageException("apply", "option '" + option.name() + "': no phase named '" + name
                        + "'; phases: " + String.join(", ", Planner.phaseNames()));
            }
        }
        return names;
    }

    private static int parallel(Arguments args) throws UsageException {
        String text = args.value(PARALLEL.name()).orElse("32");
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("apply", "option '--max-parallel': '" + text + "' is not a whole number of 1 or more");
    }
}
