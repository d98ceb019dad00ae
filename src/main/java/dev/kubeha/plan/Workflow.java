package dev.kubeha.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One workflow as data (k0sctl's actions): its phases in order, each named once here. Planning it gives a {@link Plan}
 * that the one executor runs with the shared journal, locks, progress panes, failure prompts and support bundles.
 *
 * @param name what the workflow is called in messages (install, reset)
 * @param phases the phases in the order they run
 * @param <I> what its phases are built from
 */
public record Workflow<I>(String name, List<Named<I>> phases) {
    /** A phase as a workflow lists it: the stable name --only and --skip take, and what builds its phases. */
    public record Named<I>(String name, RollingBuilder<I> builder) {
    }

    /**
     * Builds a listed phase that runs as several phases one after another (one batch of nodes each), every one
     * named after it ({@code NAME-1}, {@code NAME-2}, ...); empty when there is nothing to do.
     */
    @FunctionalInterface
    public interface RollingBuilder<I> {
        List<Phase> build(String name, I input);
    }

    public Workflow {
        phases = List.copyOf(phases);
        if (phases.stream().map(Named::name).distinct().count() != phases.size()) {
            throw new IllegalArgumentException("two phases of " + name + " share a name");
        }
    }

    public static <I> Named<I> phase(String name, PhaseBuilder<I> builder) {
        return new Named<>(name, (n, input) -> builder.build(n, input).stream().toList());
    }

    public static <I> Named<I> rolling(String name, RollingBuilder<I> builder) {
        return new Named<>(name, builder);
    }

    /** Every phase name in order, for --only and --skip. */
    public List<String> phaseNames() {
        return phases.stream().map(Named::name).toList();
    }

    /** The names --only and --skip select, in order: only the named ones, or all but the skipped ones. */
    public List<String> selected(Set<String> only, Set<String> skip) {
        for (String unknown : union(only, skip)) {
            if (!phaseNames().contains(unknown)) {
                throw new IllegalArgumentException("no phase '" + unknown + "' in " + name + "; phases: "
                        + String.join(", ", phaseNames()));
            }
        }
        return phaseNames().stream().filter(p -> only.isEmpty() || only.contains(p)).filter(p -> !skip.contains(p))
                .toList();
    }

    /** Every phase that has something to do. */
    public Plan plan(I input) {
        return plan(input, Set.of(), Set.of());
    }

    /** The selected phases that have something to do, in order. */
    public Plan plan(I input, Set<String> only, Set<String> skip) {
        List<String> selected = selected(only, skip);
        return new Plan(phases.stream().filter(p -> selected.contains(p.name()))
                .flatMap(p -> p.builder().build(p.name(), input).stream()).toList());
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
