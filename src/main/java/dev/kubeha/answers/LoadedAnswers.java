package dev.kubeha.answers;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.validate.Problem;
import java.util.List;
import java.util.Optional;

/** The outcome of reading an answers file: the spec (absent when the YAML itself is broken), problems, positions. */
public record LoadedAnswers(String source, Optional<ClusterSpec> spec, List<Problem> problems, SourceMap sourceMap) {
    public LoadedAnswers {
        problems = List.copyOf(problems);
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }
}
