package dev.kubeha.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A planned workflow as data: phases in order, each needing only earlier ones. Printing it shows exactly what will run
 * where and what each phase waits for.
 */
public record Plan(List<Phase> phases) {
    public Plan {
        phases = List.copyOf(phases);
        Set<String> names = new HashSet<>();
        for (Phase phase : phases) {
            for (Need need : phase.needs()) {
                if (!names.contains(need.phase())) {
                    throw new IllegalArgumentException("phase " + phase.name() + " needs " + need.phase()
                            + ", which is not an earlier phase of the plan");
                }
            }
            if (!names.add(phase.name())) {
                throw new IllegalArgumentException("two phases are named " + phase.name());
            }
            Set<String> ids = new HashSet<>();
            for (Step step : phase.steps()) {
                if (!ids.add(step.host() + "/" + step.id())) {
                    throw new IllegalArgumentException("step " + step.id() + " appears twice on " + step.host());
                }
            }
        }
    }

    public int stepCount(String host) {
        return (int) phases.stream().flatMap(p -> p.steps().stream()).filter(s -> s.host().equals(host)).count();
    }

    public List<String> phaseNames() {
        return phases.stream().map(Phase::name).toList();
    }

    /**
     * The same steps with a barrier after every phase: each phase needs every earlier one on every host, all in one
     * lane.
     */
    public Plan withBarriers() {
        List<Phase> chained = new ArrayList<>();
        for (Phase phase : phases) {
            chained.add(phase.needing(chained.stream().map(p -> Need.everywhere(p.name())).toList())
                    .inLane(Phase.MAIN_LANE));
        }
        return new Plan(chained);
    }
}
