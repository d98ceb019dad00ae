package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workflow names each phase once: --only, --skip and the planned phases all use that name. */
class WorkflowTest {
    final List<String> built = new ArrayList<>();
    final Workflow<String> workflow = new Workflow<>("demo", List.of(
            Workflow.phase("first", this::build),
            Workflow.phase("empty", (name, in) -> Optional.empty()),
            Workflow.phase("last", this::build)));

    Optional<Phase> build(String name, String input) {
        built.add(name);
        return Optional.of(Phase.parallel(name, input + " " + name,
                List.of(Step.of("s." + name, "step", "host1", List.of(RunCommand.always("true"))))));
    }

    @Test
    void thePlannedPhasesCarryTheWorkflowsNamesAndSkipEmptyOnes() {
        assertEquals(List.of("first", "empty", "last"), workflow.phaseNames());
        Plan plan = workflow.plan("in");
        assertEquals(List.of("first", "last"), plan.phaseNames());
        assertEquals("in last", plan.phases().get(1).title());
    }

    @Test
    void onlyAndSkipSelectByTheSameNamesAndBuildNothingElse() {
        assertEquals(List.of("last"), workflow.plan("in", Set.of("last"), Set.of()).phaseNames());
        assertEquals(List.of("last"), built);
        assertEquals(List.of("first"), workflow.plan("in", Set.of(), Set.of("last")).phaseNames());
        assertEquals(List.of("first", "empty"), workflow.selected(Set.of(), Set.of("last")));
    }

    @Test
    void anUnknownNameIsRefusedInsteadOfSelectingNothing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> workflow.plan("in", Set.of("frist"), Set.of()));
        assertEquals("no phase 'frist' in demo; phases: first, empty, last", e.getMessage());
    }

    @Test
    void twoPhasesCannotShareAName() {
        assertThrows(IllegalArgumentException.class, () -> new Workflow<>("twice",
                List.of(Workflow.phase("a", this::build), Workflow.phase("a", this::build))));
    }

    @Test
    void everyInstallAndResetPhaseIsNamedByItsWorkflow(@TempDir Path dir) {
        ClusterSpec spec = GuideSpecs.guide();
        assertEquals(Reset.WORKFLOW.phaseNames(), Reset.WORKFLOW.plan(spec).phaseNames());
        KubernetesPhasesTest phases = new KubernetesPhasesTest();
        phases.dir = dir;
        List<String> install = phases.plan(spec, OsFamily.DEBIAN).phaseNames();
        assertTrue(Install.WORKFLOW.phaseNames().containsAll(install), install::toString);
        assertEquals(List.of("os", "load-balancer", "vip", "etcd", "etcd-start", "runtime", "packages", "images", "init",
                "join-credentials", "control-plane-join", "worker-join", "network", "kube-prometheus", "verify"),
                Install.WORKFLOW.phaseNames());
    }
}
