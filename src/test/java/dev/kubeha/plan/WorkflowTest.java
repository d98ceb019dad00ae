package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Path;
import java.time.Duration;
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
        assertEquals(List.of("os", "load-balancer", "vip", "etcd", "etcd-start", "runtime", "repository", "packages",
                "images", "init",
                "join-credentials", "control-plane-join", "worker-join", "release-vip", "update-load-balancers", "drain-nodes",
                "remove-hosts", "delete-nodes", "network", "nodes-ready", "kube-prometheus", "verify"),
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
    void aNeedOnItsHostsReachedThroughALeftOutPhaseKeepsItsScopeOrWidens() {
        Workflow<String> chain = new Workflow<>("chain", List.of(
                Workflow.phase("os", this::build),
                Workflow.phase("etcd", this::build, Need.onSameHost("os")),
                Workflow.phase("start", this::build, Need.onItsHosts("etcd")),
                Workflow.phase("pki", this::build, Need.onItsHosts("os")),
                Workflow.phase("join", this::build, Need.onSameHost("pki"), Need.onSameHost("os"))));
        assertEquals(List.of(Need.onItsHosts("os")), chain.plan("in", Set.of(), Set.of("etcd")).phases().get(1)
                .needs(), "the left-out phase's same-host need counts on the waiting phase's hosts");
        assertEquals(List.of(Need.everywhere("os")), chain.plan("in", Set.of(), Set.of("pki")).phases().get(3)
                .needs(), "the left-out phase's hosts are not the waiting one's: every host, and the wider need wins");
        assertTrue(Need.onItsHosts("etcd").covers("etcd2", "etcd1", Set.of("etcd1", "etcd2")));
        assertFalse(Need.onItsHosts("etcd").covers("cp1", "etcd1", Set.of("etcd1", "etcd2")));
        assertFalse(Need.onSameHost("etcd").covers("etcd2", "etcd1", Set.of("etcd1", "etcd2")));
        assertTrue(Need.everywhere("etcd").covers("cp1", "etcd1", Set.of("etcd1", "etcd2")));
    }

    @Test
    void theBarrierScheduleNeedsEveryEarlierPhaseEverywhere() {
        Plan plan = workflow.plan("in").withBarriers();
        assertEquals(List.of(), plan.phases().get(0).needs());
        assertEquals(List.of(Need.everywhere("first")), plan.phases().get(1).needs());
    }

    @Test
    void theInstallsBarrierScheduleRunsTheStepsInTheOrderItAlwaysHad(@TempDir Path dir) {
        KubernetesPhasesTest phases = new KubernetesPhasesTest();
        phases.dir = dir;
        Plan barrier = phases.plan(GuideSpecs.guide(), OsFamily.DEBIAN).withBarriers();
        List<String> order = barrier.phases().stream().flatMap(p -> p.steps().stream()).map(Step::id).distinct()
                .toList();
        assertEquals(List.of("k8s.join", "k8s.flannel", "k8s.ready", "addons.kube-prometheus",
                "verify.cluster", "verify.etcd"), order.subList(order.indexOf("k8s.join"), order.size()),
                "flannel and the Ready wait are two phases now, one right after the other in the barrier schedule");
        assertEquals(List.of(Need.everywhere(Install.OS), Need.everywhere(Install.LOAD_BALANCER),
                Need.everywhere(Install.VIP)), barrier.phases().get(3).needs());
    }

    static Phase phase(Plan plan, String name) {
        return plan.phases().get(plan.phaseNames().indexOf(name));
    }

    @Test
    void installPhasesNeedWhatTheirStepsUse(@TempDir Path dir) {
        KubernetesPhasesTest phases = new KubernetesPhasesTest();
        phases.dir = dir;
        Plan plan = phases.plan(GuideSpecs.guide(), OsFamily.DEBIAN);
        Map<String, List<Need>> needs = new LinkedHashMap<>();
        plan.phases().forEach(p -> needs.put(p.name(), p.needs()));
        assertEquals(List.of(Need.onSameHost(Install.OS)), needs.get(Install.RUNTIME));
        assertEquals(List.of(), needs.get(Install.REPOSITORY),
                "the package repository, the download and crictl use nothing the OS preparation sets up");
        assertEquals(List.of(Need.onSameHost(Install.REPOSITORY)), needs.get(Install.PACKAGES));
        assertEquals(List.of(Need.onSameHost(Install.RUNTIME), Need.onSameHost(Install.REPOSITORY)),
                needs.get(Install.IMAGES), "the pull needs the runtime and crictl, not kubelet, kubeadm and kubectl");
        assertEquals(List.of(Need.everywhere(Install.VIP), Need.everywhere(Install.ETCD_START),
                Need.onSameHost(Install.ETCD), Need.onSameHost(Install.PACKAGES), Need.onSameHost(Install.IMAGES)),
                needs.get(Install.INIT));
        assertEquals(List.of(Need.everywhere(Install.JOIN_CREDENTIALS), Need.onSameHost(Install.ETCD),
                Need.onSameHost(Install.PACKAGES), Need.onSameHost(Install.IMAGES)),
                needs.get(Install.CONTROL_PLANE_JOIN));
        assertEquals(List.of(Need.everywhere(Install.JOIN_CREDENTIALS), Need.onSameHost(Install.PACKAGES),
                Need.onSameHost(Install.IMAGES)), Install.WORKFLOW.phases().get(Install.WORKFLOW.phaseNames()
                .indexOf(Install.WORKER_JOIN)).needs());
        assertEquals(List.of("k8s.repository", "k8s.download", "k8s.cri-tools"), phase(plan, Install.REPOSITORY)
                .stepsOf("worker1").stream().map(Step::id).toList(), "crictl goes in by itself before the others");
        assertEquals(List.of(Need.onItsHosts(Install.ETCD)), needs.get(Install.ETCD_START),
                "the members start once every member is set up, not the control planes' client certificates");
        assertEquals(List.of(Need.everywhere(Install.INIT)), needs.get(Install.NETWORK),
                "flannel right after init, beside the joins");
        assertEquals(List.of(Need.everywhere(Install.NETWORK), Need.everywhere(Install.CONTROL_PLANE_JOIN),
                Need.everywhere(Install.WORKER_JOIN), Need.everywhere(Install.DELETE_NODES)),
                Install.WORKFLOW.phases().get(Install.WORKFLOW.phaseNames().indexOf(Install.NODES_READY)).needs(),
                "every node Ready once the network is applied and every join and removal is done");
        assertEquals(List.of("k8s.flannel"), phase(plan, Install.NETWORK).steps().stream().map(Step::id).toList());
        assertEquals(List.of("k8s.ready"), phase(plan, Install.NODES_READY).steps().stream().map(Step::id).toList());
        assertEquals(Duration.ofSeconds(1), phase(plan, Install.NODES_READY).steps().get(0).verify().orElseThrow()
                .every(), "a node that turns Ready is seen within a second");
        Map<String, String> lanes = new LinkedHashMap<>();
        plan.phases().forEach(p -> lanes.put(p.name(), p.lane()));
        assertEquals(List.of(Install.REPOSITORY, Install.PACKAGES), lanes.entrySet().stream()
                .filter(e -> e.getValue().equals(Install.KUBERNETES_LANE)).map(Map.Entry::getKey).toList(),
                "the downloads run beside the load balancer, etcd and the VIP on a control plane, and every apt or"
                        + " dnf run of theirs one after another");
        assertEquals(List.of(Install.IMAGES), lanes.entrySet().stream()
                .filter(e -> e.getValue().equals(Install.IMAGES_LANE)).map(Map.Entry::getKey).toList(),
                "the images are pulled beside the packages' install");
        assertEquals(List.of(Install.RUNTIME), lanes.entrySet().stream()
                .filter(e -> e.getValue().equals(Install.RUNTIME_LANE)).map(Map.Entry::getKey).toList(),
                "the runtime is set up beside the package downloads");
        assertEquals(List.of(Install.ETCD), lanes.entrySet().stream()
                .filter(e -> e.getValue().equals(Install.ETCD_LANE)).map(Map.Entry::getKey).toList(),
                "a control plane's etcd client certificate goes in beside its load balancer and VIP check");
        assertTrue(lanes.entrySet().stream().filter(e -> !e.getValue().equals(Install.KUBERNETES_LANE)
                && !e.getValue().equals(Install.RUNTIME_LANE) && !e.getValue().equals(Install.ETCD_LANE)
                && !e.getValue().equals(Install.IMAGES_LANE))
                .allMatch(e -> e.getValue().equals(Phase.MAIN_LANE)), lanes::toString);
        Plan withoutImages = Install.WORKFLOW.plan(phases.input(GuideSpecs.guide(), OsFamily.DEBIAN), Set.of(),
                Set.of(Install.IMAGES));
        assertEquals(List.of(Need.everywhere(Install.VIP), Need.everywhere(Install.ETCD_START),
                        Need.onSameHost(Install.ETCD), Need.onSameHost(Install.PACKAGES), Need.onSameHost(Install.RUNTIME),
                        Need.onSameHost(Install.REPOSITORY)),
                withoutImages.phases().get(withoutImages.phaseNames().indexOf(Install.INIT)).needs(),
                "skipping the image pulls still keeps init after the first control plane's runtime and packages");
    }
}
