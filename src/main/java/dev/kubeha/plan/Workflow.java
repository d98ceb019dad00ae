package dev.kubeha.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One workflow as data (k0sctl's actions): its phases in order, each named once here with what it needs. Planning it
 * gives a {@link Plan} that the one executor runs with the shared journal, locks, progress panes, failure prompts and
 * support bundles, starting each phase's steps on a host as soon as what they need is done.
 *
 * @param name what the workflow is called in messages (install, reset)
 * @param phases the phases in the order they run
 * @param <I> what its phases are built from
 */
public record Workflow<I>(String name, List<Named<I>> phases) {
    /**
     * A phase as a workflow lists it: the stable name --only and --skip take, what builds its phases, its needs and
     * its lane on each host ({@link Phase#lane()}).
     */
    public record Named<I>(String name, RollingBuilder<I> builder, List<Need> needs, String lane) {
        public Named {
            needs = List.copyOf(needs);
        }

        /** The same phase in another lane, so it may run on a host beside the main lane's phases. */
        public Named<I> inLane(String which) {
            return new Named<>(name, builder, needs, which);
        }
    }

    /**
     * Builds a listed phase that runs as several phases one after another (one batch of nodes each), each named after
     * it ({@code NAME-1-...}); the first waits for the listed needs, each next one for the one before on every host,
     * and a phase that needs the listed one waits for the last. Empty when there is nothing to do.
     */
    @FunctionalInterface
    public interface RollingBuilder<I> {
        List<Phase> build(String name, I input);
    }

    public Workflow {
        phases = List.copyOf(phases);
        Set<String> earlier = new HashSet<>();
        for (Named<I> phase : phases) {
            for (Need need : phase.needs()) {
                if (!earlier.contains(need.phase())) {
                    throw new IllegalArgumentException("phase " + phase.name() + " of " + name + " needs "
                            + need.phase() + ", which is not listed before it");
                }
            }
            if (!earlier.add(phase.name())) {
                throw new IllegalArgumentException("two phases of " + name + " share a name");
            }
        }
    }

    public static <I> Named<I> phase(String name, PhaseBuilder<I> builder, Need... needs) {
        return new Named<>(name, (n, input) -> builder.build(n, input).stream().toList(), List.of(needs),
                Phase.MAIN_LANE);
    }

    public static <I> Named<I> rolling(String name, RollingBuilder<I> builder, Need... needs) {
        return new Named<>(name, builder, List.of(needs), Phase.MAIN_LANE);
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

    /**
     * The selected phases that have something to do, in order. A phase left out (unselected, skipped or with nothing
     * to do) counts as done, and what it needed is needed in its place, so the order between the others holds.
     */
    public Plan plan(I input, Set<String> only, Set<String> skip) {
        List<String> selected = selected(only, skip);
        List<Phase> planned = new ArrayList<>();
        Map<String, List<Need>> needs = new HashMap<>();
        for (Named<I> named : phases) {
            List<Phase> built = selected.contains(named.name())
                    ? named.builder().build(named.name(), input) : List.of();
            List<Need> resolved = resolve(named.needs(), needs, planned.stream().map(Phase::name).toList());
            List<Need> next = resolved;
            for (Phase phase : built) {
                planned.add(phase.needing(next).inLane(named.lane()));
                next = List.of(Need.everywhere(phase.name()));
            }
            boolean rolled = !built.isEmpty() && !built.get(built.size() - 1).name().equals(named.name());
            needs.put(named.name(), rolled ? next : resolved);
        }
        return new Plan(planned);
    }

    /** Needs of planned phases stay; a left-out phase is replaced by its own (resolved) needs. */
    private static List<Need> resolve(List<Need> declared, Map<String, List<Need>> resolvedSoFar,
                                      List<String> planned) {
        Map<String, Need> result = new LinkedHashMap<>();
        for (Need need : declared) {
            List<Need> direct = planned.contains(need.phase()) ? List.of(need)
                    : resolvedSoFar.get(need.phase()).stream().map(n -> n.through(need)).toList();
            for (Need n : direct) {
                result.merge(n.phase(), n, Need::widest);
            }
        }
        return List.copyOf(result.values());
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
