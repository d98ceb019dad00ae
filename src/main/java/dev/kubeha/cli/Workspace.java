package dev.kubeha.cli;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.FactsFile;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.install.AddonSources;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.plan.PlanInput;
import dev.kubeha.model.Printable;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateHome;
import dev.kubeha.validate.Problem;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The command line's way to a cluster workspace: the options naming it, and its problems printed as they are found. */
record Workspace(ClusterWorkspace cluster) {
    static final Option FILE = Option.value("-f", "--file", "FILE", "The answers file.").mandatory();
    static final Option STATE_DIR = Option.value(null, "--state-dir", "DIR",
            "State root (default: $KUBEHA_STATE_HOME, else ~/.kubeha); the cluster's state is DIR/<cluster name>.");
    static final Option FACTS = Option.value(null, "--facts", "FILE",
            "Host facts (YAML, per host) to render for, instead of the documented defaults.");

    /** Loads and checks the answers and opens the state; prints the problems and returns empty on errors. */
    static Optional<Workspace> open(Arguments args, CliContext context) {
        CheckedAnswers checked = CheckedAnswers.check(args.path(FILE.name()).orElseThrow(), context.today());
        if (checked.hasErrors()) {
            context.err().print(ProblemReport.text(checked));
            context.err().flush();
            return Optional.empty();
        }
        checked.problems().forEach(p -> context.err().println("warning: " + p.text()));
        ClusterSpec spec = checked.validSpec().orElseThrow();
        return Optional.of(new Workspace(ClusterWorkspace.open(spec,
                StateHome.resolve(args.path(STATE_DIR.name()).orElse(null), System.getenv()))));
    }

    ClusterSpec spec() {
        return cluster.spec();
    }

    StateDir state() {
        return cluster.state();
    }

    /** The facts of --facts, or the documented defaults; prints the problems and returns empty on errors. */
    Optional<FactsFile.Loaded> offlineFacts(Arguments args, CliContext context) {
        FactsFile.Loaded facts = args.path(FACTS.name()).map(f -> FactsFile.load(f, spec()))
                .orElseGet(() -> FactsFile.defaults(spec()));
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

    /** The plan input for these facts, with the add-ons found locally or downloaded earlier; says which are missing. */
    PlanInput planInput(Map<String, HostFacts> facts, CliContext context) {
        ClusterSpec spec = spec();
        AddonFiles addons = AddonSources.cached(spec, state());
        for (String missing : addons.missing(spec)) {
            context.err().println("note: " + missing + " is not downloaded yet: apply downloads it and records its"
                    + " SHA-256; until then its file is left out here");
        }
        return cluster.planInput(facts, addons);
    }

    /** Every file for these facts, as {@link #planInput} renders them. */
    List<RenderedFile> files(Map<String, HostFacts> facts, CliContext context) {
        return planInput(facts, context).files();
    }
}
