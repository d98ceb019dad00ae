package dev.kubeha.cli;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.FactsFile;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.install.AddonSources;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.ConfigRenderer;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.state.Secrets;
import dev.kubeha.state.SecretsStore;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateHome;
import dev.kubeha.validate.Problem;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A checked answers file with its cluster's state (secrets, PKI): what render, plan, apply and reset act on. */
record Workspace(ClusterSpec spec, StateDir state, Secrets secrets, EtcdPki pki, ClusterCa clusterCa) {
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
        StateDir state = StateDir.at(StateHome.resolve(args.path(STATE_DIR.name()).orElse(null), System.getenv())
                .clusterDir(spec.cluster().name()));
        Secrets secrets = new SecretsStore(state).loadOrCreate();
        EtcdPki pki = EtcdPki.loadOrCreate(state, spec);
        pki.warnings().forEach(p -> context.err().println("warning: " + p.text()));
        return Optional.of(new Workspace(spec, state, secrets, pki, ClusterCa.loadOrCreate(state)));
    }

    /** The facts of --facts, or the documented defaults; prints the problems and returns empty on errors. */
    Optional<FactsFile.Loaded> offlineFacts(Arguments args, CliContext context) {
        FactsFile.Loaded facts = args.path(FACTS.name()).map(f -> FactsFile.load(f, spec))
                .orElseGet(() -> FactsFile.defaults(spec));
        if (!facts.hasErrors()) {
            return Optional.of(facts);
        }
        for (Problem p : facts.problems()) {
            context.err().println(facts.source() + facts.sourceMap().lineOf(p.path()).stream()
                    .mapToObj(l -> ":" + l).findFirst().orElse("") + ": " + p.severity().label() + ": " + p.text());
        }
        context.err().flush();
        return Optional.empty();
    }

    /** Every file for these facts, with the add-ons found locally or downloaded earlier; says which are missing. */
    List<RenderedFile> files(Map<String, HostFacts> facts, CliContext context) {
        AddonFiles addons = AddonSources.cached(spec, state);
        for (String missing : addons.missing(spec)) {
            context.err().println("note: " + missing + " is not downloaded yet: apply downloads it and records its"
                    + " SHA-256; until then its file is left out here");
        }
        return ConfigRenderer.render(spec, facts, secrets, pki, clusterCa, addons);
    }
}
