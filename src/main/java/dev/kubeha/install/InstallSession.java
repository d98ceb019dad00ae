package dev.kubeha.install;

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
import dev.kubeha.facts.VipReply;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.plan.InstallEtcd;
import dev.kubeha.plan.InstallKubePrometheus;
import dev.kubeha.plan.InstallNetwork;
import dev.kubeha.plan.VerifyCluster;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.Topology;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.PlanInput;
import dev.kubeha.plan.Planner;
import dev.kubeha.plan.ResetPlanner;
import dev.kubeha.render.ConfigRenderer;
import dev.kubeha.sources.Download;
import dev.kubeha.sources.Downloader;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.sources.SourceException;
import dev.kubeha.sources.SourceFiles;
import dev.kubeha.sources.Transfer;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshHosts;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.state.Secrets;
import dev.kubeha.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** One install run against real hosts, the same for the headless apply and the TUI: they only observe it. */
public final class InstallSession implements AutoCloseable {
    /** What preparing found: hosts that could not be reached, the preflight results, and the plan when both pass. */
    public record Preparation(List<String> unreachable, List<PreflightResult> checks, Optional<Plan> plan) {
        public boolean ready() {
            return plan.isPresent();
        }
    }

    /** The outcome of a run, with the support bundles written for its failed steps and the hand-over, if it ran. */
    public record Outcome(RunResult result, List<Path> supportBundles, Optional<HandOver.Result> handOver) {
    }

    private final ClusterSpec spec;
    private final StateDir state;
    private final Secrets secrets;
    private final EtcdPki pki;
    private final ClusterCa clusterCa;
    private final Clock clock;
    private final FanOut fanOut;
    private final int parallel;
    private final SshHosts ssh;
    private final HostLock.Holder holder;
    private final Map<String, HostSpec> hosts = new LinkedHashMap<>();
    private final Set<String> locked = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Journal journal;
    private Map<String, ProbedHost> facts = Map.of();

    public InstallSession(ClusterSpec spec, StateDir state, Secrets secrets, EtcdPki pki, ClusterCa clusterCa,
                          SshSettings settings, int parallel, Clock clock) {
        this.spec = spec;
        this.state = state;
        this.secrets = secrets;
        this.pki = pki;
        this.clusterCa = clusterCa;
        this.clock = clock;
        this.parallel = parallel;
        this.fanOut = new FanOut(parallel);
        this.ssh = new SshHosts(settings);
        this.holder = HostLock.Holder.current(clock);
        this.journal = new Journal(state.root().resolve("journal"), clock);
        spec.hosts().forEach(h -> hosts.put(h.name(), h));
    }

    public ClusterSpec spec() {
        return spec;
    }

    public StateDir state() {
        return state;
    }

    /**
     * Connects to and locks every host, probes them (read-only), runs preflight, downloads what the selected phases
     * need from {@code sites} into the shared cache (progress to {@code downloads}), and plans the selected phases.
     */
    public Preparation prepare(boolean breakLock, Set<String> only, Set<String> skip, ReleaseSites sites,
                               EventSink downloads) {
        List<String> unreachable = connectAndProbe(breakLock);
        if (!unreachable.isEmpty()) {
            return new Preparation(unreachable, List.of(), Optional.empty());
        }
        Map<String, ProbedHost> found = facts;
        Set<String> journaled = hosts.keySet().stream().filter(h -> Files.exists(journal.file(h)))
                .collect(Collectors.toSet());
        List<PreflightResult> checks = new ArrayList<>(Preflight.check(spec, found, journaled));
        VipReply.check(spec, found, VipReply::answers).ifPresent(checks::add);
        if (PreflightResult.anyFailed(checks)) {
            return new Preparation(List.of(), checks, Optional.empty());
        }
        Map<String, HostFacts> hostFacts = new LinkedHashMap<>();
        found.forEach((name, p) -> hostFacts.put(name, p.facts()));
        SourceCache cache = SourceCache.sharedBy(state.root());
        AddonFiles addons;
        List<Download> needed;
        try {
            Map<String, String> arches = new LinkedHashMap<>();
            hostFacts.forEach((name, f) -> arches.put(name, f.arch()));
            needed = Releases.needed(spec, arches, sites);
            Downloader downloader = Downloader.overHttp(clock);
            for (Download d : needed) {
                if (selected(phaseOf(d), only, skip)) {
                    downloader.fetch(d, cache, t -> downloads.accept(event(t)));
                }
            }
            addons = needsAddons(only, skip) ? AddonSources.cached(spec, cache) : AddonFiles.NONE;
        } catch (SourceException | AddonSources.AddonException e) {
            return new Preparation(List.of(e.getMessage()), checks, Optional.empty());
        }
        Plan plan = Planner.plan(new PlanInput(spec, hostFacts,
                ConfigRenderer.render(spec, hostFacts, secrets, pki, clusterCa, addons),
                SourceFiles.of(needed, cache))).select(only, skip);
        return new Preparation(List.of(), checks, Optional.of(plan));
    }

    /** Connects to and locks every host for a reset; no preflight: a half-installed host must still be reset. */
    public Preparation prepareReset(boolean breakLock) {
        List<String> unreachable = connectAndProbe(breakLock);
        return new Preparation(unreachable, List.of(), unreachable.isEmpty()
                ? Optional.of(ResetPlanner.plan(spec)) : Optional.empty());
    }

    /** After a successful reset: the journal and the copied kubeconfig describe a cluster that no longer exists. */
    public void forgetInstall() {
        journal.clear(hosts.keySet());
        try {
            Files.deleteIfExists(kubeconfigPath());
        } catch (IOException e) {
            throw new dev.kubeha.state.StateException("cannot remove " + kubeconfigPath() + ": " + e.getMessage(), e);
        }
    }

    private List<String> connectAndProbe(boolean breakLock) {
        Map<String, FanOut.Outcome<ProbedHost>> probed = fanOut.run(hosts.keySet(), name -> {
            RemoteHost host = remote(name);
            host.connect();
            HostLock.acquire(host, holder, breakLock);
            locked.add(name);
            return FactsProbe.probe(host, spec, hosts.get(name), clock);
        });
        List<String> unreachable = probed.entrySet().stream().filter(e -> !e.getValue().ok())
                .map(e -> e.getKey() + ": " + e.getValue().error()).toList();
        if (unreachable.isEmpty()) {
            Map<String, ProbedHost> found = new LinkedHashMap<>();
            probed.forEach((name, outcome) -> found.put(name, outcome.value()));
            facts = Map.copyOf(found);
        }
        return unreachable;
    }

    private static boolean needsAddons(Set<String> only, Set<String> skip) {
        return selected(InstallNetwork.NAME, only, skip) || selected(InstallKubePrometheus.NAME, only, skip);
    }

    private static boolean selected(String phase, Set<String> only, Set<String> skip) {
        return (only.isEmpty() || only.contains(phase)) && !skip.contains(phase);
    }

    private static String phaseOf(Download d) {
        return switch (d.component()) {
            case Releases.ETCD -> InstallEtcd.NAME;
            case Releases.FLANNEL -> InstallNetwork.NAME;
            default -> InstallKubePrometheus.NAME;
        };
    }

    private EngineEvent.Downloading event(Transfer t) {
        return new EngineEvent.Downloading(clock.instant(), t.download().fileName(), t.download().url().toString(),
                t.state().name(), t.received(), t.total(), t.bytesPerSecond(), t.secondsLeft());
    }

    /** Where the admin kubeconfig lands after a successful install. */
    public Path kubeconfigPath() {
        return HandOver.kubeconfigPath(state);
    }

    /** Runs the plan; every event also goes to the per-host logs, and each failed step gets a support bundle. */
    public Outcome run(Plan plan, EventSink view, FailureHandler failures, Cancellation cancellation) {
        Redactor redactor = Redactor.of(secrets);
        List<EngineEvent.StepFailed> failed = Collections.synchronizedList(new ArrayList<>());
        try (HostLogs logs = new HostLogs(state.root().resolve("logs"))) {
            EventSink sink = EventSink.all(List.of(logs, view, e -> {
                if (e instanceof EngineEvent.StepFailed f) {
                    failed.add(f);
                }
            }));
            RunResult result = new Executor(this::remote, journal, sink, redactor, clock,
                    new Executor.Settings(parallel, Executor.Settings.DEFAULTS.firstBackoff()), failures)
                    .run(plan, cancellation);
            List<Path> bundles = new ArrayList<>();
            for (EngineEvent.StepFailed f : failed) {
                try {
                    bundles.add(SupportBundle.write(state.root().resolve("support"), f.at(), f.host(), f.stepId(),
                            f.host() + ": " + f.stepId() + ": " + f.error(), logs.file(f.host()),
                            String.valueOf(facts.get(f.host())), Optional.of(remote(f.host())), redactor));
                } catch (IOException e) {
                    bundles.add(Path.of("(" + f.host() + ": could not write the support bundle: " + e.getMessage()
                            + ")"));
                }
            }
            Optional<HandOver.Result> handOver = result.ok() && plan.phaseNames().contains(VerifyCluster.NAME)
                    ? Optional.of(HandOver.run(remote(Topology.firstControlPlane(spec).name()), spec, state, clusterCa))
                    : Optional.empty();
            return new Outcome(result, bundles, handOver);
        }
    }

    public Path logs() {
        return state.root().resolve("logs");
    }

    private RemoteHost remote(String name) {
        return ssh.host(hosts.get(name), spec.ssh());
    }

    /** Releases the locks this session took and closes every connection. */
    @Override
    public void close() {
        fanOut.run(List.copyOf(locked), name -> {
            HostLock.release(remote(name), holder);
            return null;
        });
        ssh.close();
    }
}
