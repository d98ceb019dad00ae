package dev.kubeha.cli;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.FactsFile;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.render.ConfigRenderer;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.state.SecretsStore;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateHome;
import dev.kubeha.validate.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An answers file turned into what the render, plan and apply commands act on: spec, facts, state and files. */
record Workspace(ClusterSpec spec, StateDir state, Map<String, HostFacts> facts, FactsFile.Loaded factsSource,
                 List<RenderedFile> files) {
    static final Option FILE = Option.value("-f", "--file", "FILE", "The answers file.").mandatory();
    static final Option STATE_DIR = Option.value(null, "--state-dir", "DIR",
            "State root (default: $KUBEHA_STATE_HOME, else ~/.kubeha); the cluster's state is DIR/<cluster name>.");
    static final Option FACTS = Option.value(null, "--facts", "FILE",
            "Host facts to render for instead of the documented defaults (see FactsFile).");

    /** Loads and checks everything; prints the problems and returns empty when there are errors. */
    static Optional<Workspace> open(Arguments args, CliContext context, boolean useFactsOption) {
        CheckedAnswers checked = CheckedAnswers.check(args.path(FILE.name()).orElseThrow(), context.today());
        if (checked.hasErrors()) {
            context.err().print(ProblemReport.text(checked));
            context.err().flush();
            return Optional.empty();
        }
        checked.problems().forEach(p -> context.err().println("warning: " + p.text()));
        ClusterSpec spec = checked.validSpec().orElseThrow();
        FactsFile.Loaded facts = useFactsOption && args.value(FACTS.name()).isPresent()
                ? FactsFile.load(args.path(FACTS.name()).orElseThrow(), spec) : FactsFile.defaults(spec);
        if (facts.hasErrors()) {
            for (Problem p : facts.problems()) {
                context.err().println(facts.source() + facts.sourceMap().lineOf(p.path()).stream()
                        .mapToObj(l -> ":" + l).findFirst().orElse("") + ": " + p.severity().label() + ": " + p.text());
            }
            context.err().flush();
            return Optional.empty();
        }
        StateDir state = StateDir.at(StateHome.resolve(args.path(STATE_DIR.name()).orElse(null), System.getenv())
                .clusterDir(spec.cluster().name()));
        var secrets = new SecretsStore(state).loadOrCreate();
        EtcdPki pki = EtcdPki.loadOrCreate(state, spec);
        List<RenderedFile> files = ConfigRenderer.render(spec, facts.facts(), secrets, pki, Optional.empty());
        return Optional.of(new Workspace(spec, state, facts.facts(), facts, files));
    }

    Path stateRoot() {
        return state.root();
    }
}
