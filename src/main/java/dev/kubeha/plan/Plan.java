package dev.kubeha.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A planned workflow as data: phases in order. Printing it shows exactly what will run where. */
public record Plan(List<Phase> phases) {
    public Plan {
        phases = List.copyOf(phases);
        Set<String> names = new HashSet<>();
        for (Phase phase : phases) {
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
}
