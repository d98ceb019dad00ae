package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Day-2 workflows that change a running cluster run their phases strictly one after another on every host. */
class StrictOrderWorkflowsTest {
    @Test
    void everyPhaseWaitsForEveryEarlierPhaseOnEveryHost() {
        for (Workflow<?> workflow : List.of(Drill.WORKFLOW, RenewCertificates.WORKFLOW, Backup.WORKFLOW,
                Restore.WORKFLOW)) {
            List<String> earlier = new ArrayList<>();
            Map<String, Set<String>> waitsFor = new HashMap<>();
            for (Workflow.Named<?> phase : workflow.phases()) {
                Set<String> all = new HashSet<>();
                phase.needs().stream().filter(Need::everyHost).forEach(n -> {
                    all.add(n.phase());
                    all.addAll(waitsFor.getOrDefault(n.phase(), Set.of()));
                });
                waitsFor.put(phase.name(), all);
                assertTrue(all.containsAll(earlier), workflow.name() + ": " + phase.name()
                        + " does not wait for every earlier phase on every host: " + phase.needs());
                earlier.add(phase.name());
            }
        }
    }
}
