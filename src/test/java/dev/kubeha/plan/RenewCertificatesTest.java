package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.Renewal;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewCertificatesTest {
    @TempDir
    Path dir;

    Plan plan(boolean etcd, boolean kubernetes, Optional<Duration> within) {
        ClusterSpec spec = GuideSpecs.guide();
        StateDir state = StateDir.at(dir.resolve("state"));
        ClusterWorkspace workspace = new ClusterWorkspace(spec, state, PhaseTable.SECRETS,
                EtcdPki.loadOrCreate(state, spec), ClusterCa.loadOrCreate(state));
        return RenewCertificates.WORKFLOW.plan(Renewal.input(workspace, etcd, kubernetes, within));
    }

    @Test
    void theHostsCasAreCheckedBeforeAnythingIsWrittenThenEtcdThenControlPlanesOneAtATime() {
        Plan plan = plan(true, true, Optional.of(Duration.ofDays(30)));
        assertEquals(List.of(RenewCertificates.CHECK_CA, RenewCertificates.ETCD, RenewCertificates.KUBERNETES),
                plan.phaseNames());
        Phase check = plan.phases().get(0);
        assertTrue(check.steps().stream().allMatch(s -> s.operations().isEmpty() && s.verify().isPresent()));
        assertEquals(List.of("worker1", "worker2", "ceph1", "ceph2", "ceph3"), List.copyOf(check.hosts()));
        Phase etcd = plan.phases().get(1);
        Phase kubernetes = plan.phases().get(2);
        assertTrue(etcd.oneHostAtATime());
        assertTrue(kubernetes.oneHostAtATime());
        assertEquals(List.of("ceph1", "ceph2", "ceph3"), List.copyOf(etcd.hosts()));
        assertEquals(List.of("worker1", "worker2"), List.copyOf(kubernetes.hosts()));
    }

    @Test
    void anEtcdMemberGetsItsNewPairsThenRestartsUnlessItRunsSinceThenAndWaitsForTheClusterHealth() {
        String ceph1 = KubernetesPhasesTest.describe(plan(true, false, Optional.empty()), "ceph1");
        assertTrue(ceph1.contains("write /data/etcd/ssl/server.pem"), ceph1);
        assertTrue(ceph1.contains("write /data/etcd/ssl/peer-key.pem"), ceph1);
        assertTrue(ceph1.contains("run systemctl restart etcd   (unless: since=$(date -d"), ceph1);
        assertTrue(ceph1.contains("endpoint health --cluster"), ceph1);
        assertTrue(ceph1.contains("openssl x509 -noout -fingerprint -sha256 -in /data/etcd/ssl/ca.pem"), ceph1);
    }

    @Test
    void aControlPlaneRenewsKubeadmsCertificatesOnlyWhenDueAndRestartsItsStaticPodsTheKubeadmWay() {
        String master = KubernetesPhasesTest.describe(plan(true, true, Optional.of(Duration.ofDays(30))), "worker2");
        assertTrue(master.contains("write /etc/kubernetes/pki/apiserver-etcd-client.pem"), master);
        assertTrue(master.contains("run kubeadm certs renew all   (unless: for c in"), master);
        assertTrue(master.contains("openssl x509 -checkend 2592000"), master);
        assertTrue(master.contains("mv /etc/kubernetes/manifests/$m.yaml /etc/kubernetes/kubeha-restarting/"), master);
        assertTrue(master.contains(Kube.API_HEALTHY), master);
        assertTrue(master.contains("/etc/kubernetes/pki/ca.crt"), master);
    }

    @Test
    void kubernetesOnlyLeavesEtcdAndTheApiserversEtcdClientAlone() {
        Plan plan = plan(false, true, Optional.empty());
        assertEquals(List.of(RenewCertificates.CHECK_CA, RenewCertificates.KUBERNETES), plan.phaseNames());
        String master = KubernetesPhasesTest.describe(plan, "worker1");
        assertFalse(master.contains("apiserver-etcd-client.pem (0"), master);
        assertTrue(master.contains("run kubeadm certs renew all"), master);
    }
}
