package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                "join-credentials", "control-plane-join", "worker-join", "release-vip", "update-load-balancers", "drain-nodes",
                "remove-hosts", "delete-nodes", "network", "kube-prometheus", "verify"),
                Install.WORKFLOW.phaseNames());
    }

    @Test
    void aPhaseCanOnlyNeedOneListedBeforeIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Workflow<>("loop",
                List.of(Workflow.phase("a", this::build, Need.everywhere("b")), Workflow.phase("b", this::build))));
        assertEquals("phase a of loop needs b, which is not listed before it", e.getMessage());
    }

    @Test
    void aLeftOutPhaseCountsAsDoneAndWhatItNeededIsNeededInItsPlace() {
        Workflow<String> chain = new Workflow<>("chain", List.of(
                Workflow.phase("first", this::build),
                Workflow.phase("second", this::build, Need.onSameHost("first")),
                Workflow.phase("empty", (name, in) -> Optional.empty(), Need.onSameHost("second")),
                Workflow.phase("last", this::build, Need.everywhere("empty"), Need.onSameHost("first"))));
        assertEquals(List.of(Need.everywhere("second"), Need.onSameHost("first")),
                chain.plan("in").phases().get(2).needs());
        assertEquals(List.of(Need.everywhere("first")), chain.plan("in", Set.of(), Set.of("second")).phases().get(1)
                .needs());
        assertEquals(List.of(), chain.plan("in", Set.of("last"), Set.of()).phases().get(0).needs());
    }

    @Test
    void theBarrierScheduleNeedsEveryEarlierPhaseEverywhere() {
        Plan plan = workflow.plan("in").withBarriers();
        assertEquals(List.of(), plan.phases().get(0).needs());
        assertEquals(List.of(Need.everywhere("first")), plan.phases().get(1).needs());
    }

    @Test
    void installPhasesNeedWhatTheirStepsUse(@TempDir Path dir) {
        KubernetesPhasesTest phases = new KubernetesPhasesTest();
        phases.dir = dir;
        Plan plan = phases.plan(GuideSpecs.guide(), OsFamily.DEBIAN);
        Map<String, List<Need>> needs = new LinkedHashMap<>();
        plan.phases().forEach(p -> needs.put(p.name(), p.needs()));
        assertEquals(List.of(Need.onSameHost(Install.OS)), needs.get(Install.RUNTIME));
        assertEquals(List.of(Need.onSameHost(Install.OS)), needs.get(Install.PACKAGES));
        assertEquals(List.of(Need.onSameHost(Install.RUNTIME), Need.onSameHost(Install.PACKAGES)),
                needs.get(Install.IMAGES));
        assertEquals(List.of(Need.everywhere(Install.VIP), Need.everywhere(Install.ETCD_START),
                Need.onSameHost(Install.ETCD), Need.onSameHost(Install.IMAGES)), needs.get(Install.INIT));
        assertEquals(List.of(Need.everywhere(Install.JOIN_CREDENTIALS), Need.onSameHost(Install.ETCD),
                Need.onSameHost(Install.IMAGES)), needs.get(Install.CONTROL_PLANE_JOIN));
        Map<String, String> lanes = new LinkedHashMap<>();
        plan.phases().forEach(p -> lanes.put(p.name(), p.lane()));
        assertEquals(List.of(Install.RUNTIME, Install.PACKAGES, Install.IMAGES), lanes.entrySet().stream()
                .filter(e -> e.getValue().equals(Install.KUBERNETES_LANE)).map(Map.Entry::getKey).toList(),
                "the downloads run beside the load balancer, etcd and the VIP on a control plane");
        assertTrue(lanes.entrySet().stream().filter(e -> !e.getValue().equals(Install.KUBERNETES_LANE))
                .allMatch(e -> e.getValue().equals(Phase.MAIN_LANE)), lanes::toString);
        Plan withoutImages = Install.WORKFLOW.plan(phases.input(GuideSpecs.guide(), OsFamily.DEBIAN), Set.of(),
                Set.of(Install.IMAGES));
        assertEquals(List.of(Need.everywhere(Install.VIP), Need.everywhere(Install.ETCD_START),
                        Need.onSameHost(Install.ETCD), Need.onSameHost(Install.RUNTIME), Need.onSameHost(Install.PACKAGES)),
                withoutImages.phases().get(withoutImages.phaseNames().indexOf(Install.INIT)).needs(),
                "skipping the image pulls still keeps init after the first control plane's runtime and packages");
    }
}
