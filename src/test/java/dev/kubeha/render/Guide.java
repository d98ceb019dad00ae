package dev.kubeha.render;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.LoadedAnswers;
import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.state.Secrets;
import java.nio.file.Path;
import java.util.Map;

/** The guide's topology (assets/examples/guide.yaml) with default facts and fixed, obviously fake secrets. */
final class Guide {
    /** A fixed CA pin, so goldens do not depend on a generated CA. */
    static final String CA_CERT_HASH = "sha256:" + "ab".repeat(32);
    static final Secrets SECRETS = new Secrets("k7h2qa.0f3x9c2m4n6b8v1z",
            "8b1f0e4c2d7a9653e1f04b2c6d8a0e1f3b5c7d9e2a4c6e8f0b1d3f5a7c9e1b30", "Vr9pQ2wXeLm4", "St4tsPw8sK2q");

    private Guide() {
    }

    static ClusterSpec spec() {
        LoadedAnswers loaded = AnswersFile.load(Path.of("assets/examples/guide.yaml"));
        if (loaded.hasErrors() || loaded.spec().isEmpty()) {
            throw new AssertionError("guide.yaml does not load: " + loaded.problems());
        }
        return loaded.spec().get();
    }

    static Map<String, HostFacts> facts(ClusterSpec spec) {
        return FactsDefaults.forSpec(spec);
    }
}
