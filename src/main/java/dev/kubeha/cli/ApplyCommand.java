package dev.kubeha.cli;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleException;
import dev.kubeha.events.EventSink;
import dev.kubeha.exec.Cancellation;
import dev.kubeha.exec.Executor;
import dev.kubeha.exec.FailureHandler;
import dev.kubeha.exec.RunResult;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.install.ClusterSurvey;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.InstallSession;
import dev.kubeha.install.MembershipRun;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.plan.Install;
import dev.kubeha.plan.MembershipOptions;
import dev.kubeha.plan.Plan;
import dev.kubeha.progress.DownloadLines;
import dev.kubeha.progress.HeadlessProgress;
import dev.kubeha.render.Topology;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.ssh.SshSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code kubeha apply}: connects, probes, checks, then runs the plan on every host, resuming from the journal. */
public final class ApplyCommand implements Command {
    static final Option YES = Option.flag("--yes", "Do not ask for confirmation.");
    static final Duration CANCEL_GRACE = Duration.ofSeconds(60);
    static final Option ACCEPT_NEW = Option.flag("--accept-new-host-keys",
            "Trust hosts whose SSH key is not known yet (the fingerprints are recorded in the state directory).");
    static final Option ONLY = Option.value(null, "--only", "PHASES", "Run only these phases (comma-separated).");
    static final Option SKIP = Option.value(null, "--skip", "PHASES", "Run every phase but these (comma-separated).");
    static final Option BREAK_LOCK = Option.flag("--break-lock",
            "Remove another run's lock on the hosts first (only when that run is gone).");
    static final Option PARALLEL = Option.value(null, "--max-parallel", "N",
            "How many hosts work at once (default 32).");
    static final Option SCHEDULE = Option.value(null, "--schedule", "graph|barrier",
            "When a phase starts: once what it needs is done (graph), or after every earlier phase (barrier).")
            .choices("graph", "graph", "barrier");

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
        return List.of(Workspace.FILE, YES, ACCEPT_NEW, ONLY, SKIP, BREAK_LOCK, PARALLEL, Membership.ALLOW_REMOVAL,
                Membership.ALLOW_EVEN, Membership.ALLOW_UNREACHABLE, Membership.DRAIN_TIMEOUT, Workspace.STATE_DIR,
                Workspace.RELEASE_MIRROR, Workspace.BUNDLE, HELP);
    }

    @Override
    public List<Option> hiddenOptions() {
        return List.of(SCHEDULE);
    }

    @Override
    public List<String> notes() {
        return List.of("Phases: " + String.join(", ", Install.WORKFLOW.phaseNames()) + ".",
                "Exit codes: 0 everything done and verified, 1 problems or a failed step, 2 usage error.",
                "Logs, the journal and support bundles are in the state directory.");
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        Set<String> only = phases(args, ONLY);
        Set<String> skip = phases(args, SKIP);
        int parallel = parallel(args);
        MembershipOptions membership = Membership.options(args, name());
        ReleaseSites sites = Workspace.releaseSites(args, name());
        Optional<Workspace> opened = Workspace.opening(args, context);
        if (opened.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        Workspace w = opened.get();
        try {
            return run(args, context, w, only, skip, parallel, membership, sites);
        } finally {
            w.cluster().settle();
        }
    }

    private int run(Arguments args, CliContext context, Workspace w, Set<String> only, Set<String> skip,
                    int parallel, MembershipOptions membership, ReleaseSites sites) {
        MembershipRun membershipRun = new MembershipRun(w.cluster(), w.ssh(args), Membership.allowed(args),
                membership, args.flag(BREAK_LOCK.name()), sites, context.clock());
        ClusterChange change = membershipRun.change();
        if (!MembershipRun.admitted(change, Membership.allowed(args), membership, context.out(), context.err())) {
            return ExitCodes.PROBLEMS;
        }
        Map<String, List<String>> notCleaned = Install.notCleaned(w.spec(), change, membership);
        Membership.printNotCleaned(notCleaned, context);
        MembershipRun.Confirmation confirmation = question -> args.flag(YES.name())
                || ConsolePrompts.confirm(question);
        if (membershipRun.etcdMembers(context.out(), context.err(), confirmation,
                (session, plan) -> outcome(execute(session, plan, context), context)) != 0) {
            return ExitCodes.PROBLEMS;
        }
        if (Install.WORKFLOW.selected(only, skip).contains(Install.ETCD)) {
            int etcdVersion = EtcdVersionApply.run(args, context, w, sites);
            if (etcdVersion != ExitCodes.OK) {
                return etcdVersion;
            }
        }
        Optional<Bundle> bundle = Optional.empty();
        Optional<Path> bundleFile = args.path(Workspace.BUNDLE.name());
        if (bundleFile.isPresent()) {
            try {
                context.out().println("checking the bundle " + bundleFile.get());
                context.out().flush();
                bundle = Optional.of(w.openBundle(bundleFile.get()));
            } catch (BundleException e) {
                context.err().println("kubeha: " + e.getMessage() + "; no host was touched");
                context.err().flush();
                return ExitCodes.PROBLEMS;
            }
        }
        SshSettings settings = w.ssh(args);
        Executor.Settings limits = new Executor.Settings(parallel, Executor.Settings.DEFAULTS.firstBackoff(),
                args.value(SCHEDULE).equals("barrier") ? Executor.Schedule.BARRIER : Executor.Schedule.GRAPH);
        try (InstallSession session = new InstallSession(w.cluster(), settings, limits, context.clock())) {
            int code = apply(args, context, w, session, only, skip, sites, bundle, membership);
            Membership.printNotCleaned(notCleaned, context);
            return code;
        } finally {
            bundle.ifPresent(Bundle::discard);
        }
    }

    private int apply(Arguments args, CliContext context, Workspace w, InstallSession session, Set<String> only,
                      Set<String> skip, ReleaseSites sites, Optional<Bundle> bundle, MembershipOptions membership) {
        var out = context.out();
        out.println("connecting to " + session.spec().hosts().size() + " hosts and taking their locks");
        out.flush();
        InstallSession.Preparation prepared = session.prepare(args.flag(BREAK_LOCK.name()), only, skip,
                sites, new DownloadLines(out), bundle, membership);
        prepared.blockers().forEach(u -> context.err().println("error: " + u.text()));
        w.printPkiWarnings(context);
        ClusterSurvey.expiryWarnings(w.cluster(), context.clock().instant())
                .forEach(warning -> context.err().println("warning: " + warning));
        printPreflight(context, prepared.checks());
        if (!prepared.ready()) {
            if (prepared.blockers().isEmpty()) {
                context.err().println("preflight failed: fix the problems above, then run kubeha apply again");
            }
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        Plan plan = prepared.plan().orElseThrow();
        int steps = plan.phases().stream().mapToInt(p -> p.steps().size()).sum();
        if (!args.flag(YES.name()) && !ConsolePrompts.confirm("Apply " + steps + " steps in " + plan.phases().size()
                + " phases on " + session.spec().hosts().size() + " hosts of cluster "
                + session.spec().cluster().name() + "?")) {
            context.err().println("not confirmed: nothing was changed (use --yes to run without asking)");
            return ExitCodes.PROBLEMS;
        }
        InstallSession.Outcome outcome = execute(session, plan, context);
        RunResult result = outcome(outcome, context);
        outcome.handOver().ifPresent(h -> {
            h.kubeconfig().ifPresentOrElse(k -> out.println("admin kubeconfig (0600, server https://"
                    + Topology.controlPlaneEndpoint(session.spec()) + "): " + k + "\n  export KUBECONFIG=" + k),
                    () -> context.err().println("warning: no /etc/kubernetes/admin.conf on the first control plane"));
            out.println("healthz: " + h.healthz());
        });
        if (result.ok()) {
            out.println("done: every step of " + String.join(", ", plan.phaseNames()) + " is applied and verified"
                    + " (logs: " + session.logs() + ")");
            out.flush();
            return ExitCodes.OK;
        }
        return failed(result, context);
    }

    /** Prints a run's failures and how to resume it; the exit code of a failed run. */
    static int failed(RunResult result, CliContext context) {
        MembershipRun.failed(result, context.err());
        return ExitCodes.PROBLEMS;
    }

    /** The run's result, after printing where its support bundles are. */
    static RunResult outcome(InstallSession.Outcome outcome, CliContext context) {
        outcome.supportBundles().forEach(b -> context.err().println("support bundle: " + b.text()));
        return outcome.result();
    }

    /** Runs a plan with live progress; Ctrl-C lets the steps in flight finish and be journaled before exiting. */
    static InstallSession.Outcome execute(InstallSession session, Plan plan, CliContext context) {
        return execute(session, plan, context, event -> { });
    }

    /** Runs the plan with headless progress and {@code also} observing every event; Ctrl-C cancels it. */
    static InstallSession.Outcome execute(InstallSession session, Plan plan, CliContext context,
                                          EventSink also) {
        Cancellation cancellation = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            cancellation.request();
            try {
                finished.await(CANCEL_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kubeha-cancel");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try (HeadlessProgress progress = progress(plan, context)) {
            return session.run(plan, EventSink.all(List.of(progress, also)), FailureHandler.ABORT,
                    cancellation);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already shutting down and runs the hook itself.
            }
        }
    }

    /** Live status lines on a terminal, timestamped lines otherwise (and when the terminal cannot be opened). */
    private static HeadlessProgress progress(Plan plan, CliContext context) {
        try {
            return HeadlessProgress.forConsole(plan, ZoneId.systemDefault());
        } catch (IOException e) {
            return HeadlessProgress.plain(plan, context.out(), ZoneId.systemDefault());
        }
    }

    private static void printPreflight(CliContext context, List<PreflightResult> checks) {
        long passed = checks.stream().filter(c -> c.status() == PreflightResult.Status.PASS).count();
        for (PreflightResult c : checks) {
            if (c.status() != PreflightResult.Status.PASS) {
                context.out().println("preflight " + c.status().name().toLowerCase(Locale.ROOT) + ": "
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
            if (!Install.WORKFLOW.phaseNames().contains(name)) {
                throw new UsageException("apply", "option '" + option.name() + "': no phase named '" + name
                        + "'; phases: " + String.join(", ", Install.WORKFLOW.phaseNames()));
            }
        }
        return names;
    }

    private static int parallel(Arguments args) throws UsageException {
        return atLeastOne(args, PARALLEL, "32", "apply");
    }

    /** The option's whole number of 1 or more ({@code fallback} when absent), or a usage error naming it. */
    static int atLeastOne(Arguments args, Option option, String fallback, String command) throws UsageException {
        String text = args.value(option.name()).orElse(fallback);
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(command, "option '" + option.name() + "': '" + text
                + "' is not a whole number of 1 or more");
    }
}
