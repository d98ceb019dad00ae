package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.UpgradePath;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upgrade plan for the guide's cluster with three workers, 1.36.3 to 1.37.1. */
class UpgradeTest {
    @TempDir
    Path dir;

    Plan plan(int maxUnavailable) {
        return plan(maxUnavailable, GuideSpecs.guide());
    }

    Plan plan(int maxUnavailable, ClusterSpec guide) {
        return Upgrade.WORKFLOW.plan(inputFor(maxUnavailable, guide));
    }

    UpgradeInput inputFor(int maxUnavailable) {
        return inputFor(maxUnavailable, GuideSpecs.guide());
    }

    UpgradeInput inputFor(int maxUnavailable, ClusterSpec guide) {
        return inputFor(maxUnavailable, guide, "1.37.1");
    }

    UpgradeInput inputFor(int maxUnavailable, ClusterSpec guide, String to) {
        List<HostSpec> hosts = new ArrayList<>(guide.hosts());
        for (int i = 1; i <= 3; i++) {
            hosts.add(new HostSpec("node" + i, "10.0.8." + (30 + i), Set.of(Role.WORKER)));
        }
        ClusterSpec current = guide.withHosts(hosts);
        current = new ClusterSpec(current.cluster(), current.ssh(), current.hosts(), current.loadBalancer(),
                current.network(), current.etcd(), current.containerRuntime(), new AddonsSpec(false, ""));
        UpgradePath path = UpgradePath.check(current.cluster().kubernetesVersion(), to, false);
        ClusterSpec target = current.withKubernetesVersion(to);
        Map<String, HostFacts> facts = new LinkedHashMap<>(FactsDefaults.forSpec(target));
        StateDir state = StateDir.at(dir.resolve("state"));
        ClusterWorkspace workspace = new ClusterWorkspace(target, state, PhaseTable.SECRETS,
                EtcdPki.loadOrCreate(state, target), ClusterCa.loadOrCreate(state));
        return new UpgradeInput(workspace.planInput(facts,
                new AddonFiles(Optional.of(KubernetesPhasesTest.FLANNEL), Optional.empty())), path, maxUnavailable,
                Duration.ofMinutes(5), workspace.etcdBackupInput());
    }

    @Test
    void phasesRunInKubeadmsOrderWithControlPlanesOneAtATimeThenWorkersInBatches() {
        Plan plan = plan(2);
        assertEquals(List.of(Upgrade.ETCD_HEALTH, Upgrade.PREFLIGHT, Upgrade.BACKUP, Upgrade.LOAD_BALANCER,
                Upgrade.REPOSITORY,
                "upgrade-apply-kubeadm", "upgrade-apply-1-drain", "upgrade-apply-1", "upgrade-apply-1-ready",
                "upgrade-control-planes-kubeadm", "upgrade-control-planes-1-drain", "upgrade-control-planes-1",
                "upgrade-control-planes-1-ready",
                "kubelets-1-drain", "kubelets-1-upgrade", "kubelets-1-uncordon",
                "kubelets-2-drain", "kubelets-2-upgrade", "kubelets-2-uncordon",
                "kubelets-3-drain", "kubelets-3-upgrade", "kubelets-3-uncordon",
                "kubelets-4-drain", "kubelets-4-upgrade", "kubelets-4-uncordon",
                Upgrade.NETWORK, Upgrade.VERIFY), plan.phaseNames());
        assertEquals(List.of("worker1"), List.copyOf(phase(plan, "upgrade-apply-1").hosts()));
        assertEquals(List.of("worker2"), List.copyOf(phase(plan, "upgrade-control-planes-1").hosts()));
        assertEquals(List.of("worker1", "worker2"), List.copyOf(phase(plan, "upgrade-apply-1-drain").hosts()),
                "the first control plane is drained on every haproxy while kubeadm upgrade apply restarts it");
        assertEquals(List.of("worker1"), List.copyOf(phase(plan, "kubelets-1-upgrade").hosts()));
        assertEquals(List.of("worker2"), List.copyOf(phase(plan, "kubelets-2-upgrade").hosts()));
        assertEquals(List.of("node1", "node2"), List.copyOf(phase(plan, "kubelets-3-upgrade").hosts()));
        assertEquals(List.of("node3"), List.copyOf(phase(plan, "kubelets-4-upgrade").hosts()));
        for (String drainOrUncordon : List.of("kubelets-3-drain", "kubelets-3-uncordon")) {
            assertEquals(List.of("worker1"), List.copyOf(phase(plan, drainOrUncordon).hosts()),
                    "kubectl runs with admin.conf on the first control plane");
        }
        assertEquals(List.of("ceph1"), List.copyOf(phase(plan, Upgrade.BACKUP).hosts()));
        assertTrue(phase(plan, Upgrade.LOAD_BALANCER).oneHostAtATime(), "one haproxy reloads at a time");
    }

    @Test
    void everyPhaseWaitsForTheOneBeforeOnEveryHostAndTheBatchesChain() {
        Plan plan = plan(2);
        for (int i = 1; i < plan.phases().size(); i++) {
            assertEquals(List.of(Need.everywhere(plan.phases().get(i - 1).name())), plan.phases().get(i).needs(),
                    plan.phases().get(i).name());
        }
        assertEquals(List.of(Need.everywhere("upgrade-control-planes-1-ready")), phase(plan, "kubelets-1-drain").needs());
        assertEquals(List.of(Need.everywhere("kubelets-4-uncordon")), phase(plan, Upgrade.NETWORK).needs());
        Plan withoutNetwork = Upgrade.WORKFLOW.plan(inputFor(1), Set.of(), Set.of(Upgrade.NETWORK));
        assertEquals(List.of(Need.everywhere("kubelets-5-uncordon")), phase(withoutNetwork, Upgrade.VERIFY).needs(),
                "a skipped phase passes on what it waited for");
    }

    @Test
    void theFirstControlPlaneUpgradesKubeadmFirstThenPlansAndApplies() {
        Plan plan = plan(1);
        Phase prepare = phase(plan, "upgrade-apply-kubeadm");
        assertEquals(List.of("upgrade.kubeadm", "upgrade.plan"), prepare.steps().stream().map(Step::id).toList());
        String kubeadm = command(prepare.steps().get(0));
        assertTrue(kubeadm.contains("apt-get install -y -q --no-install-recommends --allow-change-held-packages"
                + " --allow-downgrades kubeadm='1.37.1-*' && apt-mark hold kubeadm"), kubeadm);
        Phase apply = phase(plan, "upgrade-apply-1");
        assertEquals(List.of("upgrade.apply", "apiserver.healthy"), apply.steps().stream().map(Step::id).toList());
        assertEquals("kubeadm upgrade apply v1.37.1 -y", command(apply.steps().get(0)));
        assertEquals("grep -q 'kube-apiserver:v1.37.1$' /etc/kubernetes/manifests/kube-apiserver.yaml",
                ((RunCommand) apply.steps().get(0).operations().get(0)).doneWhen().orElseThrow());
        assertEquals(List.of("haproxy.drain.worker1"), phase(plan, "upgrade-apply-1-drain").steps().stream()
                .map(Step::id).distinct().toList());
        assertEquals(List.of("haproxy.ready.worker1"), phase(plan, "upgrade-apply-1-ready").steps().stream()
                .map(Step::id).distinct().toList());
        assertTrue(command(phase(plan, "upgrade-apply-1-ready").steps().get(0)).contains(
                "echo upgrade-v1.37.1 > /var/lib/kubeha/haproxy-ready/worker1"));
        Phase others = phase(plan, "upgrade-control-planes-1");
        assertEquals("kubeadm upgrade node", command(others.steps().get(0)));
        assertEquals(List.of("upgrade.kubeadm"), phase(plan, "upgrade-control-planes-kubeadm").steps().stream()
                .map(Step::id).toList());
    }

    @Test
    void theRepositoryLineMovesToTheTargetMinorOnEveryNode() {
        Phase repository = phase(plan(1), Upgrade.REPOSITORY);
        assertEquals(List.of("worker1", "worker2", "node1", "node2", "node3"), List.copyOf(repository.hosts()));
        WriteFile line = (WriteFile) repository.stepsOf("node1").get(0).operations().stream()
                .filter(o -> o instanceof WriteFile).findFirst().orElseThrow();
        assertTrue(line.file().text().contains("https://pkgs.k8s.io/core:/stable:/v1.37/deb/ /"), line.file().text());
    }

    @Test
    void eachWorkerIsDrainedThenUpgradedWithKubeadmUpgradeNodeThenUncordonedAndWaitedFor() {
        Plan plan = plan(1);
        String drain = command(phase(plan, "kubelets-3-drain").steps().get(0));
        assertTrue(drain.startsWith("n=node1; kubectl --kubeconfig /etc/kubernetes/admin.conf drain \"$n\""
                + " --ignore-daemonsets --delete-emptydir-data --timeout=300s || "), drain);
        assertTrue(drain.contains("kubeha: node $n is not drained"), drain);
        assertEquals(List.of("upgrade.kubeadm", "upgrade.node", "upgrade.kubelet", "upgrade.kubelet-restart"),
                phase(plan, "kubelets-3-upgrade").steps().stream().map(Step::id).toList());
        String kubelet = command(phase(plan, "kubelets-3-upgrade").steps().get(2));
        assertTrue(kubelet.endsWith("kubelet='1.37.1-*' kubectl='1.37.1-*' && apt-mark hold kubelet kubectl"),
                kubelet);
        assertEquals(List.of("upgrade.kubelet", "upgrade.kubelet-restart"),
                phase(plan, "kubelets-1-upgrade").steps().stream().map(Step::id).toList(),
                "a control plane ran kubeadm upgrade apply or node already");
        Step uncordon = phase(plan, "kubelets-3-uncordon").steps().get(0);
        assertEquals("kubectl --kubeconfig /etc/kubernetes/admin.conf uncordon node1", command(uncordon));
        assertTrue(uncordon.verify().orElseThrow().command().contains("$2 == \"Ready\" && $5 == \"v1.37.1\""));
    }

    @Test
    void theKubeletCountsAsRestartedOnlyOnceTheNewOneAnswersItsHealthzSoTheUncordonNeverComesFirst() {
        Step restart = phase(plan(1), "kubelets-3-upgrade").steps().get(3);
        assertEquals("systemctl daemon-reload && systemctl restart kubelet", command(restart));
        assertEquals("systemctl is-active --quiet kubelet && curl -fsS --max-time 2 -o /dev/null"
                + " http://127.0.0.1:10248/healthz", restart.verify().orElseThrow().command());
        String done = ((RunCommand) restart.operations().get(0)).doneWhen().orElseThrow();
        assertTrue(done.startsWith("kubelet --version | grep -qx 'Kubernetes v1.37.1' && "), done);
    }

    @Test
    void everyStepThatChangesANodeIsNewForAnotherTargetSoAnEarlierUpgradesJournalDoesNotSkipIt() {
        Plan to370 = Upgrade.WORKFLOW.plan(inputFor(1, GuideSpecs.guide(), "1.37.0"));
        Plan to371 = plan(1);
        Set<String> earlier = new HashSet<>();
        to370.phases().forEach(p -> p.steps().forEach(s -> earlier.add(s.host() + " " + s.id() + " "
                + s.fingerprint())));
        List<String> same = to371.phases().stream()
                .filter(p -> p.name().startsWith(Upgrade.KUBELETS) || p.name().equals(Upgrade.APPLY)
                        || p.name().equals(Upgrade.CONTROL_PLANES))
                .flatMap(p -> p.steps().stream())
                .filter(s -> earlier.contains(s.host() + " " + s.id() + " " + s.fingerprint()))
                .map(s -> s.host() + " " + s.id()).toList();
        assertEquals(List.of(), same);
    }

    @Test
    void preflightChecksCertificatesEtcdVersionsAndTheRepositoryAndTheBackupIsTakenOnce() {
        Plan plan = plan(1);
        Phase preflight = phase(plan, Upgrade.PREFLIGHT);
        assertEquals(2, preflight.steps().stream().filter(s -> s.id().equals("upgrade.certificates")).count());
        String etcd = command(preflight.stepsOf("ceph1").get(0));
        assertTrue(etcd.contains("endpoint status -w json") && etcd.contains("printf '%s\\n' 3.5.24 \"$v\" | sort -V"),
                etcd);
        String reach = command(preflight.stepsOf("node2").get(0));
        assertTrue(reach.startsWith("curl -fsS --retry 2 --max-time 30 -o /dev/null"
                + " https://pkgs.k8s.io/core:/stable:/v1.37/deb/InRelease"), reach);
        Step backup = phase(plan, Upgrade.BACKUP).steps().get(0);
        assertFalse(backup.everyRun(), "a resumed upgrade keeps the snapshot taken before anything changed");
        RestoreTest.assertTakenWithKubehasPair(backup, "/var/lib/kubeha/backups/pre-upgrade-1.36.3-to-1.37.1.db",
                "/var/lib/kubeha/backups/pre-upgrade-1.36.3-to-1.37.1.db.status.json");
        String save = command(backup);
        assertTrue(save.startsWith("( { test -s /var/lib/kubeha/backups/pre-upgrade-1.36.3-to-1.37.1.db && test -s"
                + " /var/lib/kubeha/backups/pre-upgrade-1.36.3-to-1.37.1.db.status.json; } || { umask 077"), save);
    }

    @Test
    void anEtcdDeclaredBelowKubeadmsMinimumIsLetThroughAsAtInstall() {
        ClusterSpec guide = GuideSpecs.guide();
        EtcdSpec e = guide.etcd();
        ClusterSpec old = GuideSpecs.withEtcd(guide, new EtcdSpec("3.5.16", e.dataDir(), e.certDir(),
                e.keyAlgorithm(), e.certificateValidityDays(), e.install(), e.archive(), e.archiveSha256()));
        assertTrue(phase(plan(1, old), Upgrade.PREFLIGHT).steps().stream()
                .noneMatch(s -> s.id().equals("upgrade.etcd-version")));
        assertTrue(phase(plan(1), Upgrade.PREFLIGHT).steps().stream()
                .anyMatch(s -> s.id().equals("upgrade.etcd-version")));
    }

    @Test
    void anInputForAnotherVersionThanTheTargetIsABug() {
        assertThrows(IllegalArgumentException.class, () -> new UpgradeInput(new PlanInput(GuideSpecs.guide(),
                Map.of(), List.of()), UpgradePath.check("1.36.3", "1.37.1", false), 1, Duration.ofMinutes(1),
                Optional.empty()));
    }

    @Test
    void anExternalEtcdUpgradeWithoutKubehasEtcdctlPairIsABug() {
        UpgradeInput in = inputFor(1, GuideSpecs.guide(), "1.37.1");
        assertThrows(IllegalArgumentException.class, () -> new UpgradeInput(in.target(), in.path(), 1,
                Duration.ofMinutes(1), Optional.empty()));
    }

    static String command(Step step) {
        return step.operations().stream().filter(o -> o instanceof RunCommand).map(o -> ((RunCommand) o).command())
                .reduce((a, b) -> b).orElseThrow();
    }

    static Phase phase(Plan plan, String name) {
        return KubernetesPhasesTest.phase(plan, name);
    }
}
