package dev.kubeha.answers;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.Severity;
import dev.kubeha.validate.SpecValidator;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** An answers file loaded and validated: the single entry point the CLI and the TUI both use. */
public record CheckedAnswers(LoadedAnswers loaded, List<Problem> problems) {
    public CheckedAnswers {
        problems = List.copyOf(problems);
    }

    public static CheckedAnswers check(Path file, LocalDate today) {
        return of(AnswersFile.load(file), today);
    }

    public static CheckedAnswers of(LoadedAnswers loaded, LocalDate today) {
        List<Problem> all = new ArrayList<>(loaded.problems());
        Set<String> loaderErrors = loaded.problems().stream().filter(Problem::isError).map(Problem::path)
                .map(CheckedAnswers::withoutIndex).collect(Collectors.toSet());
        loaded.spec().ifPresent(spec -> new SpecValidator(today).validate(spec).stream()
                .filter(p -> !loaderErrors.contains(p.path()))
                .forEach(all::add));
        return new CheckedAnswers(loaded, all);
    }

    /** A loader error on a list item (roles[0]) also covers the list (roles): its value was not read whole. */
    private static String withoutIndex(String path) {
        return path.replaceFirst("\\[\\d+]$", "");
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }

    public long count(Severity severity) {
        return problems.stream().filter(p -> p.severity() == severity).count();
    }

    /** The spec, only when it has no errors. */
    public Optional<ClusterSpec> validSpec() {
        return hasErrors() ? Optional.empty() : loaded.spec();
    }
}
