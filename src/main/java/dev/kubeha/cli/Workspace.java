package dev.kubeha.cli;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.FactsFile;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.RuntimeSource;
import dev.kubeha.install.AddonSources;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.plan.PlanInput;
import dev.kubeha.model.Printable;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.sources.SourceException;
import dev.kubeha.sources.SourceFiles;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateHome;
import dev.kubeha.validate.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The command line's way to a cluster workspace: the options naming it, and its problems printed as they are found. */
record Workspace(ClusterWorkspace cluster) {
    static final Option FILE = Option.value("-f", "--file", "FILE", "The answers file.").mandatory();
    static final Option STATE_DIR = Option.value(null, "--state-dir", "DIR",
            "State root (default: $KUBEHA_STATE_HOME, else ~/.kubeha); the cluster's state is DIR/<cluster name>.");
    static final Option FACTS = Option.value(null, "--facts", "FILE",
            "Host facts (YAML, per host) to render for, instead of the documented defaults.");

    static final Option RELEASE_MIRROR = Option.value(null, "--release-mirror", "URL",
            "Fetch release files from a mirror (URL/etcd/vX.Y.Z/…, URL/containerd/vX.Y.Z/…, URL/runc/vX.Y.Z/…,"
                    + " URL/cri-dockerd/vX.Y.Z/…, URL/flannel/…, URL/kube-prometheus/…) instead of their upstream"
                    + " pages; they are checked against the same SHA-256.");

    /** --release-mirror, else the upstream release pages. */
    static final Option BUNDLE = Option.value(null, "--bundle", "FILE",
            "An offline bundle made by 'kubeha bundle': packages, images and release files come from it, checked first.");

    /** The bundle of --bundle, verified and unpacked under the state root; the caller discards it after the run. */
    Bundle openBundle(Path tar) {
        Path into = state().root().toAbsolutePath().getParent().resolve("bundles")
                .resolve(spec().cluster().name());
        return Bundle.openFor(spec(), tar, into);
    }

    static ReleaseSites releaseSites(Arguments args, String command) throws UsageException {
        try {
            return args.value(RELEASE_MIRROR.name()).map(ReleaseSites::mirror).orElse(ReleaseSites.UPSTREAM);
        } catch (SourceException e) {
            throw new UsageException(command, "option '" + RELEASE_MIRROR.name() + "': " + e.getMessage());
        }
    }

    /** Loads and checks the answers and opens the state; prints the problems and returns empty on errors. */
    static Optional<Workspace> open(Arguments args, CliContext context) {
        return spec(args, context).map(spec -> {
            Workspace w = new Workspace(ClusterWorkspace.open(spec, home(args)));
            w.printPkiWarnings(context);
            return w;
        });
    }

    /**
     * The same, with the etcd PKI and the cluster CA loaded or created beside the caller's work
     * ({@link ClusterWorkspace#opening}): the caller prints {@link #printPkiWarnings} once it needs the PKI, and
     * settles the workspace before it returns.
     */
    static Optional<Workspace> opening(Arguments args, CliContext context) {
        return spec(args, context).map(spec -> new Workspace(ClusterWorkspace.opening(spec, home(args))));
    }

    private static Optional<ClusterSpec> spec(Arguments args, CliContext context) {
        CheckedAnswers checked = CheckedAnswers.check(args.path(FILE.name()).orElseThrow(), context.today());
        if (checked.hasErrors()) {
            context.err().print(ProblemReport.text(checked));
            context.err().flush();
            return Optional.empty();
        }
        checked.problems().forEach(p -> context.err().println("warning: " + p.text()));
        return checked.validSpec();
    }

    private static StateHome home(Arguments args) {
        return StateHome.resolve(args.path(STATE_DIR.name()).orElse(null), System.getenv());
    }

    /** The warnings of loading the etcd PKI (waits for it when it loads beside). */
    void printPkiWarnings(CliContext context) {
        cluster.pki().warnings().forEach(p -> context.err().println("warning: " + p.text()));
    }

    /** SSH settings for this cluster: known hosts in its state, --accept-new-host-keys honoured, console prompts. */
    SshSettings ssh(Arguments args) {
        return SshSettings.defaults(state().root(), ConsolePrompts.hostKeys(args.flag(ApplyCommand.ACCEPT_NEW.name())),
                ConsolePrompts.secrets());
    }

    ClusterSpec spec() {
        return cluster.spec();
    }

    StateDir state() {
        return cluster.state();
    }

    /** The facts of --facts, or the documented defaults; prints the problems and returns empty on errors. */
    Optional<FactsFile.Loaded> offlineFacts(Arguments args, CliContext context) {
        return offlineFacts(args, context, spec());
    }

    /** The same for a spec without a workspace. */
    static Optional<FactsFile.Loaded> offlineFacts(Arguments args, CliContext context, ClusterSpec spec) {
        FactsFile.Loaded facts = args.path(FACTS.name()).map(f -> FactsFile.load(f, spec))
                .orElseGet(() -> FactsFile.defaults(spec));
        if (!facts.hasErrors()) {
            return Optional.of(facts);
        }
        for (Problem p : facts.problems()) {
            context.err().println(Printable.of(facts.source()) + facts.sourceMap().lineOf(p).stream()
                    .mapToObj(l -> ":" + l).findFirst().orElse("") + ": " + p.severity().label() + ": " + p.text());
        }
        context.err().flush();
        return Optional.empty();
    }

    /** What render and plan work from without touching a host: the workspace, the facts and what apply downloads. */
    record Offline(Workspace workspace, FactsFile.Loaded facts, SourceFiles downloads) {
        PlanInput planInput(CliContext context) {
            return workspace.planInput(facts.facts(), downloads, context);
        }
    }

    /** Opens the answers with --facts (or the defaults) and --release-mirror; prints the problems, returns empty. */
    static Optional<Offline> offline(Arguments args, CliContext context, String command) throws UsageException {
        ReleaseSites sites = releaseSites(args, command);
        Optional<Workspace> workspace = open(args, context);
        Optional<FactsFile.Loaded> facts = workspace.flatMap(w -> w.offlineFacts(args, context));
        if (facts.isEmpty()) {
            return Optional.empty();
        }
        return workspace.get().downloads(facts.get().facts(), sites, context)
                .map(d -> new Offline(workspace.get(), facts.get(), d));
    }

    /** What apply would download for hosts with these facts, and where; prints the problem and returns empty. */
    Optional<SourceFiles> downloads(Map<String, HostFacts> facts, ReleaseSites sites, CliContext context) {
        Map<String, String> arches = new LinkedHashMap<>();
        facts.forEach((name, f) -> arches.put(name, f.arch()));
        try {
            return Optional.of(SourceFiles.of(Releases.needed(spec(), arches,
                    RuntimeSource.archiveHosts(spec(), facts), sites),
                    SourceCache.sharedBy(state().root())));
        } catch (SourceException e) {
            context.err().println("kubeha: " + e.getMessage());
            context.err().flush();
            return Optional.empty();
        }
    }

    /** The plan input for these facts, with the add-ons found locally or in the cache; notes what apply downloads. */
    PlanInput planInput(Map<String, HostFacts> facts, SourceFiles downloads, CliContext context) {
        AddonFiles addons = AddonSources.cached(spec(), SourceCache.sharedBy(state().root()));
        for (SourceFiles.CachedFile f : downloads.files()) {
            if (!Files.isRegularFile(f.path())) {
                context.err().println("note: apply downloads " + f.download().title() + " from " + f.download().url()
                        + " into " + f.path() + (f.download().component().equals(Releases.ETCD) ? ""
                        : "; until then its file is left out here"));
            }
        }
        return cluster.planInput(facts, addons, downloads);
    }
}
