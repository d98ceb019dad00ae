package dev.kubeha.progress;

import dev.kubeha.events.EngineEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A consistent picture of a whole run: phases, hosts in plan order, the overall count and the end once reached. */
public record ProgressSnapshot(List<PhaseStatus> phases, List<HostStatus> hosts, int finishedSteps, int skippedSteps,
                               int totalSteps, Duration elapsed, Optional<EngineEvent.RunFinished> end) {
    /** The phases running now, in plan order: several at once when they do not need each other. */
    public List<PhaseStatus> runningPhases() {
        return phases.stream().filter(p -> p.state() == PhaseStatus.State.RUNNING).toList();
    }
}
