package dev.kubeha.install;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleCheck;
import dev.kubeha.bundle.BundleException;
import dev.kubeha.bundle.BundleItem;
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
import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.Preflight;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.facts.ProbedHost;
import dev.kubeha.facts.RuntimeSource;
import dev.kubeha.facts.VipReply;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.plan.Install;
import dev.kubeha.plan.MembershipOptions;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.Step;
import dev.kubeha.plan.Workflow;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.Topology;
import dev.kubeha.sources.Download;
import dev.kubeha.sources.Downloader;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.sources.SourceException;
import dev.kubeha.sources.SourceFiles;
import dev.kubeha.sources.Transfer;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import dev.kubeha.ssh.SshHosts;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One install run against real hosts, the same for the headless apply and the TUI: they only observe it. */
public final class InstallSession implements AutoCloseable {
    /** What preparing found: what stopped it before planning, the preflight results, and the plan when both pass. */
    public record Preparation(List<Blocker> blockers, List<PreflightResult> checks, Optional<Plan> plan) {
        public boolean ready() {
            return plan.isPresent();
        }
    }

    /** What stops a run before planning: a host that could not be reached, locked or probed, or an unusable add-on. */
    public record Blocker(Optional<String> host, Throwable cause) {
        public String text() {
            return host.map(h -> h + ": ").orElse("") + (cause.getMessage() == null ? cause.toString()
                    : cause.getMessage());
        }

        /** The host presented a key nobody trusted yet (the operator can check and trust it). */
        public boolean hostKeyUnknown() {
            return Stream.iterate(cause, Objects::nonNull, Throwable::getCause)
                    .anyMatch(c -> c instanceof SshException.HostKeyUnknown);
        }
    }

    /** A failed step's support bundle: where it was written, or why it could not be. */
    public sealed interface SupportBundleFile {
        String text();

        record Written(Path path) implements SupportBundleFile {
            @Override
            public String text() {
                return path.toString();
            }
        }

        record NotWritten(String host, IOException cause) implements SupportBundleFile {
            @Override
            public String text() {
                return "(" + host + ": could not write the support bundle: " + cause.getMessage() + ")";
            }
        }
    }

    /** The outcome of a run, with the support bundles written for its failed steps and the hand-over, if it ran. */
    public record Outcome(RunResult result, List<SupportBundleFile> supportBundles,
                          Optional<HandOver.Result> handOver) {
    }

    private final ClusterWorkspace workspace;
    private final ClusterSpec spec;
    private final StateDir state;
    private final Clock clock;
    private final FanOut fanOut;
    private final Executor.Settings limits;
    private final Function<HostSpec, RemoteHost> remotes;
    private final Runnable closeRemotes;
    private final Predicate<InetAddress> vipAnswers;
    private final HostLock.Holder holder;
    private final Map<String, HostSpec> hosts = new LinkedHashMap<>();
    private final Set<String> locked = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Journal journal;
    private Map<String, ProbedHost> facts = Map.of();

    public InstallSession(ClusterWorkspace workspace, SshSettings settings, int parallel, Clock clock) {
        this(workspace, settings, new Executor.Settings(parallel, Executor.Settings.DEFAULTS.firstBackoff()), clock);
    }

    /** A session whose runs keep these limits: hosts at once, retry back-off and schedule. */
    public InstallSession(ClusterWorkspace workspace, SshSettings settings, Executor.Settings limits, Clock clock) {
        this(workspace, new SshHosts(settings), limits, clock);
    }

    private InstallSession(ClusterWorkspace workspace, SshHosts ssh, Executor.Settings limits, Clock clock) {
        this(workspace, host -> ssh.host(host, workspace.spec().ssh()), ssh::close, VipReply::answers, limits, clock);
    }

    /**
     * A session over these connections (one per host, the same each time it is asked for), asking
     * {@code vipAnswers} whether the VIP answers from the network.
     */
    InstallSession(ClusterWorkspace workspace, Function<HostSpec, RemoteHost> remotes, Runnable closeRemotes,
                   Predicate<InetAddress> vipAnswers, Executor.Settings limits, Clock clock) {
        this.workspace = workspace;
        this.remotes = remotes;
        this.closeRemotes = closeRemotes;
        this.vipAnswers = vipAnswers;
        this.spec = workspace.spec();
        this.state = workspace.state();
        this.clock = clock;
        this.limits = limits;
        this.fanOut = new FanOut(limits.maxParallelHosts());
        this.holder = HostLock.Holder.current(clock);
        this.journal = journal(state, clock);
        spec.hosts().forEach(h -> hosts.put(h.name(), h));
        AppliedRecord.changeTo(state, spec).leaving().forEach(h -> hosts.put(h.name(), h));
    }

    /** The journal of the cluster whose state directory this is. */
    public static Journal journal(StateDir state, Clock clock) {
        return new Journal(state.root().resolve("journal"), clock);
    }

    public ClusterSpec spec() {
        return spec;
    }

    public StateDir state() {
        return state;
    }

    /** The hosts this session reaches: the answers' and the recorded ones that leave. */
    public List<HostSpec> hosts() {
        return List.copyOf(hosts.values());
    }

    /**
     * Connects to and locks every host, probes them (read-only), runs preflight, downloads what the selected phases
     * need from {@code sites} into the shared cache (progress to {@code downloads}), and plans the selected phases.
     */
    public Preparation prepare(boolean breakLock, Set<String> only, Set<String> skip, ReleaseSites sites,
                               EventSink downloads) {
        return prepare(breakLock, only, skip, sites, downloads, Optional.empty());
    }

    /**
     * The same with a verified offline bundle: it must fit the probed hosts (architectures, deb hosts); its release
     * files enter the shared cache, so nothing is downloaded, and the plan installs its packages and images.
     */
    public Preparation prepare(boolean breakLock, Set<String> only, Set<String> skip, ReleaseSites sites,
                               EventSink downloads, Optional<Bundle> bundle) {
        return prepare(breakLock, only, skip, sites, downloads, bundle, MembershipOptions.DEFAULT);
    }

    /**
     * The same with the operator's membership options: the drain timeout, and the leaving hosts given up as
     * unreachable, which are neither connected to nor planned on.
     */
    public Preparation prepare(boolean breakLock, Set<String> only, Set<String> skip, ReleaseSites sites,
                               EventSink downloads, Optional<Bundle> bundle, MembershipOptions membership) {
        Optional<InetAddress> vip = IpLiteral.parse(spec.loadBalancer().vip());
        FanOut.Beside<Boolean> vipEcho = FanOut.beside(() -> vip.isPresent() && vipAnswers.test(vip.get()));
        List<Blocker> unreachable = connectAndProbe(breakLock, membership.unreachable(), true);
        if (!unreachable.isEmpty()) {
            return new Preparation(unreachable, List.of(), Optional.empty());
        }
        Map<String, ProbedHost> found = facts;
        Set<String> journaled = hosts.keySet().stream().filter(h -> Files.exists(journal.file(h)))
                .collect(Collectors.toSet());
        List<PreflightResult> checks = new ArrayList<>(Preflight.check(spec, found, journaled));
        VipReply.check(spec, found, address -> vipEcho.join()).ifPresent(checks::add);
        if (PreflightResult.anyFailed(checks)) {
            return new Preparation(List.of(), checks, Optional.empty());
        }
        Map<String, HostFacts> hostFacts = facts(found);
        SourceCache cache = SourceCache.sharedBy(state.root());
        AddonFiles addons;
        List<Download> needed;
        try {
            Map<String, String> arches = new LinkedHashMap<>();
            hostFacts.forEach((name, f) -> arches.put(name, f.arch()));
            needed = Releases.needed(spec, arches, RuntimeSource.archiveHosts(spec, hostFacts), sites);
            if (bundle.isPresent()) {
                List<String> misfits = BundleCheck.problems(spec, bundle.get(), hostFacts);
                if (!misfits.isEmpty()) {
                    return new Preparation(misfits.stream().map(m -> new Blocker(Optional.empty(),
                            new BundleException(m))).toList(), checks, Optional.empty());
                }
                adopt(bundle.get(), needed, cache);
            }
            Downloader downloader = Downloader.overHttp(clock);
            List<String> selected = Install.WORKFLOW.selected(only, skip);
            for (Download d : needed) {
                if (selected.contains(phaseOf(d))) {
                    downloader.fetch(d, cache, t -> downloads.accept(event(t)));
                }
            }
            addons = needsAddons(only, skip) ? AddonSources.cached(spec, cache) : AddonFiles.NONE;
        } catch (SourceException | AddonSources.AddonException e) {
            return new Preparation(List.of(new Blocker(Optional.empty(), e)), checks, Optional.empty());
        }
        Plan plan = Install.WORKFLOW.plan(workspace.planInput(hostFacts, addons, SourceFiles.of(needed, cache),
                bundle).withMembership(membership), only, skip);
        return new Preparation(List.of(), checks, Optional.of(plan));
    }

    /** The bundle's copy of each release file enters the shared cache, checked against what the cache expects. */
    private static void adopt(Bundle bundle, List<Download> needed, SourceCache cache) {
        for (Download d : needed) {
            BundleItem item = bundle.manifest().of(BundleItem.Kind.RELEASE).stream()
                    .filter(i -> i.name().equals(d.component()) && i.fileName().equals(d.fileName())).findFirst()
                    .orElseThrow(() -> new SourceException("the bundle lacks " + d.title() + " (" + d.fileName()
                            + "); " + d.instead("a local copy") + ", or make the bundle again"));
            cache.adopt(d, bundle.file(item));
        }
    }

    /** Connects to, locks and probes every host, then plans the workflow from the probed hosts; no preflight. */
    public <I> Preparation prepare(boolean breakLock, Workflow<I> workflow,
                                   Function<Map<String, ProbedHost>, I> input) {
        return prepare(breakLock, Set.of(), workflow, input);
    }

    /**
     * The same without connecting to these hosts, given up as unreachable. Only the answers' hosts are reached: these
     * workflows plan nothing on hosts that leave.
     */
    public <I> Preparation prepare(boolean breakLock, Set<String> givenUp, Workflow<I> workflow,
                                   Function<Map<String, ProbedHost>, I> input) {
        List<Blocker> unreachable = connectAndProbe(breakLock, givenUp, false);
        return new Preparation(unreachable, List.of(), unreachable.isEmpty()
                ? Optional.of(workflow.plan(input.apply(facts))) : Optional.empty());
    }

    /** The facts of each probed host, in the hosts' order. */
    public static Map<String, HostFacts> facts(Map<String, ProbedHost> probed) {
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        probed.forEach((name, p) -> facts.put(name, p.facts()));
        return facts;
    }

    /** Downloads the releases of {@code component} these hosts need into the shared cache (progress to downloads). */
    public SourceFiles download(Map<String, HostFacts> hostFacts, ReleaseSites sites, String component,
                                EventSink downloads) {
        Map<String, String> arches = new LinkedHashMap<>();
        hostFacts.forEach((name, f) -> arches.put(name, f.arch()));
        SourceCache cache = SourceCache.sharedBy(state.root());
        List<Download> needed = Releases.of(Releases.needed(spec, arches,
                RuntimeSource.archiveHosts(spec, hostFacts), sites), component);
        Downloader downloader = Downloader.overHttp(clock);
        for (Download d : needed) {
            downloader.fetch(d, cache, t -> downloads.accept(event(t)));
        }
        return SourceFiles.of(needed, cache);
    }

    /**
     * After a successful reset: the journal, the applied-topology record and the copied kubeconfig describe a cluster
     * that no longer exists.
     */
    public void forgetInstall() {
        journal.clear(hosts.keySet());
        AppliedRecord.forget(state);
        try {
            Files.deleteIfExists(kubeconfigPath());
        } catch (IOException e) {
            throw new StateException("cannot remove " + kubeconfigPath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The hosts a run connects to, in this order: the answers' hosts, and the recorded hosts that leave when the run
     * removes them; never one given up as unreachable.
     */
    static List<String> reached(Set<String> hosts, List<HostSpec> answers, Set<String> givenUp, boolean removals) {
        Set<String> listed = answers.stream().map(HostSpec::name).collect(Collectors.toSet());
        return hosts.stream().filter(h -> !givenUp.contains(h) && (removals || listed.contains(h))).toList();
    }

    private List<Blocker> connectAndProbe(boolean breakLock, Set<String> givenUp, boolean removals) {
        Set<String> leaving = AppliedRecord.changeTo(state, spec).leaving().stream().map(HostSpec::name)
                .collect(Collectors.toSet());
        List<String> reached = reached(hosts.keySet(), spec.hosts(), givenUp, removals);
        Map<String, FanOut.Outcome<ProbedHost>> probed = fanOut.run(reached, name -> {
            RemoteHost host = remote(name);
            host.connect();
            return FactsProbe.probe(probe -> {
                ExecResult result = HostLock.acquireThen(host, holder, breakLock, probe);
                locked.add(name);
                return result;
            }, spec, hosts.get(name), clock);
        });
        List<Blocker> unreachable = probed.entrySet().stream().filter(e -> !e.getValue().ok())
                .map(e -> new Blocker(Optional.of(e.getKey()), leaving.contains(e.getKey())
                        ? new LeavingHostUnreachable(e.getKey(), e.getValue().error()) : e.getValue().error()))
                .toList();
        if (unreachable.isEmpty()) {
            Map<String, ProbedHost> found = new LinkedHashMap<>();
            probed.forEach((name, outcome) -> found.put(name, outcome.value()));
            facts = Map.copyOf(found);
        }
        return unreachable;
    }

    /** A host the answers remove could not be reached: only the operator can give it up. */
    static final class LeavingHostUnreachable extends RuntimeException {
        LeavingHostUnreachable(String host, Throwable cause) {
            super((cause.getMessage() == null ? cause.toString() : cause.getMessage()) + "; " + host + " leaves the"
                    + " cluster: if it is gone for good, apply again with " + MembershipOptions.ALLOW_UNREACHABLE + " " + host + " (kubeha then"
                    + " removes it through the API and the other hosts, and cleans nothing on it)", cause);
        }
    }

    private static boolean needsAddons(Set<String> only, Set<String> skip) {
        List<String> selected = Install.WORKFLOW.selected(only, skip);
        return selected.contains(Install.NETWORK) || selected.contains(Install.KUBE_PROMETHEUS);
    }

    private static String phaseOf(Download d) {
        return switch (d.component()) {
            case Releases.ETCD -> Install.ETCD;
            case Releases.FLANNEL -> Install.NETWORK;
            case Releases.CONTAINERD, Releases.RUNC, Releases.CNI_PLUGINS, Releases.CRI_DOCKERD -> Install.RUNTIME;
            default -> Install.KUBE_PROMETHEUS;
        };
    }

    private EngineEvent.Downloading event(Transfer t) {
        return EngineEvent.Downloading.of(clock.instant(), t);
    }

    /** Where the admin kubeconfig lands after a successful install. */
    public Path kubeconfigPath() {
        return HandOver.kubeconfigPath(state);
    }

    /** True when an earlier run finished this very step (same id and fingerprint) on its host. */
    public boolean journaled(Step step) {
        return journal.isDone(step);
    }

    /** Runs the plan; every event also goes to the per-host logs, and each failed step gets a support bundle. */
    public Outcome run(Plan plan, EventSink view, FailureHandler failures, Cancellation cancellation) {
        Redactor redactor = Redactor.of(workspace.secrets());
        List<EngineEvent.StepFailed> failed = Collections.synchronizedList(new ArrayList<>());
        try (HostLogs logs = new HostLogs(state.root().resolve("logs"))) {
            EventSink sink = EventSink.all(List.of(logs, view, e -> {
                if (e instanceof EngineEvent.StepFailed f) {
                    failed.add(f);
                }
            }));
            RunResult result = new Executor(this::remote, journal, sink, redactor, clock, limits, failures)
                    .run(plan, cancellation);
            List<SupportBundleFile> bundles = new ArrayList<>();
            for (EngineEvent.StepFailed f : failed) {
                try {
                    bundles.add(new SupportBundleFile.Written(SupportBundle.write(state.root().resolve("support"),
                            f.at(), f.host(), f.stepId(), f.host() + ": " + f.stepId() + ": " + f.error(),
                            logs.file(f.host()), String.valueOf(facts.get(f.host())), Optional.of(remote(f.host())),
                            redactor)));
                } catch (IOException e) {
                    bundles.add(new SupportBundleFile.NotWritten(f.host(), e));
                }
            }
            Optional<HandOver.Result> handOver = result.ok() && plan.phaseNames().contains(Install.VERIFY)
                    ? Optional.of(HandOver.run(remote(Topology.firstControlPlane(spec).name()), spec, state,
                            workspace.clusterCa()))
                    : Optional.empty();
            if (result.ok() && plan.phaseNames().contains(Install.VERIFY)) {
                AppliedRecord.write(state, spec);
            }
            return new Outcome(result, bundles, handOver);
        }
    }

    /** After kubeadm's certificates were renewed: admin.conf fetched again for the jump host, /healthz checked. */
    public HandOver.Result refreshKubeconfig() {
        return HandOver.run(remote(Topology.firstControlPlane(spec).name()), spec, state, workspace.clusterCa());
    }

    public Path logs() {
        return state.root().resolve("logs");
    }

    private RemoteHost remote(String name) {
        return remotes.apply(hosts.get(name));
    }

    /** The connection to a host of the answers file, for what a workflow hands back to the jump host. */
    public RemoteHost host(String name) {
        if (!hosts.containsKey(name)) {
            throw new IllegalArgumentException("no host " + name + " in cluster " + spec.cluster().name());
        }
        return remote(name);
    }

    /** Releases the locks this session took and closes every connection. */
    @Override
    public void close() {
        fanOut.run(List.copyOf(locked), name -> {
            HostLock.release(remote(name), holder);
            return null;
        });
        closeRemotes.run();
    }
}
