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

    static final String ROUND = "2026-12-05T04:00:00Z";

    Plan plan(boolean etcd, boolean kubernetes, Optional<Duration> within) {
        return plan(etcd, kubernetes, within, ROUND);
    }

    Plan plan(boolean etcd, boolean kubernetes, Optional<Duration> within, String round) {
        return plan(GuideSpecs.guide(), etcd, kubernetes, within, round);
    }

    Plan plan(ClusterSpec spec, boolean etcd, boolean kubernetes, Optional<Duration> within, String round) {
        StateDir state = StateDir.at(dir.resolve("state"));
        ClusterWorkspace workspace = new ClusterWorkspace(spec, state, PhaseTable.SECRETS,
                EtcdPki.loadOrCreate(state, spec), ClusterCa.loadOrCreate(state));
        return RenewCertificates.WORKFLOW.plan(Renewal.input(workspace, etcd, kubernetes, within, round));
    }

    @Test
    void theHostsCasAreCheckedBeforeAnythingIsWrittenThenEtcdThenControlPlanesOneAtATime() {
        Plan plan = plan(true, true, Optional.of(Duration.ofDays(30)));
        String k = RenewCertificates.KUBERNETES;
        assertEquals(List.of(RenewCertificates.CHECK_CA, RenewCertificates.ETCD, RenewCertificates.LOAD_BALANCER,
                k + "-1-drain", k + "-1", k + "-1-ready", k + "-2-drain", k + "-2", k + "-2-ready"),
                plan.phaseNames());
        Phase check = plan.phases().get(0);
        assertTrue(check.steps().stream().allMatch(s -> s.operations().isEmpty() && s.verify().isPresent()));
        assertEquals(List.of("worker1", "worker2", "ceph1", "ceph2", "ceph3"), List.copyOf(check.hosts()));
        Phase etcd = plan.phases().get(1);
        assertTrue(etcd.oneHostAtATime());
        assertTrue(plan.phases().get(2).oneHostAtATime(), "one haproxy reloads at a time");
        assertEquals(List.of("ceph1", "ceph2", "ceph3"), List.copyOf(etcd.hosts()));
        assertEquals(List.of("worker1"), List.copyOf(KubernetesPhasesTest.phase(plan, k + "-1").hosts()));
        assertEquals(List.of("worker2"), List.copyOf(KubernetesPhasesTest.phase(plan, k + "-2").hosts()));
        for (int i = 1; i < plan.phases().size(); i++) {
            assertTrue(plan.phases().get(i).needs().contains(Need.everywhere(plan.phases().get(i - 1).name())),
                    plan.phases().get(i).name());
        }
    }

    @Test
    void eachControlPlaneIsDrainedOnEveryHaproxyBeforeItsRestartAndPutBackAfterItIsHealthyOnItsHost() {
        Plan plan = plan(true, true, Optional.empty());
        String k = RenewCertificates.KUBERNETES;
        Phase drain = KubernetesPhasesTest.phase(plan, k + "-2-drain");
        Phase ready = KubernetesPhasesTest.phase(plan, k + "-2-ready");
        assertEquals(List.of("worker1", "worker2"), List.copyOf(drain.hosts()), "every load balancer");
        assertEquals(List.of("haproxy.drain.worker2"), drain.steps().stream().map(Step::id).distinct().toList());
        assertEquals(List.of("haproxy.ready.worker2"), ready.steps().stream().map(Step::id).distinct().toList());
        String drained = KubernetesPhasesTest.describe(plan, "worker1");
        assertTrue(drained.contains("set server kube-apiserver/worker2 state drain"), drained);
        assertTrue(drained.contains("set server kube-apiserver/worker2 state ready"), drained);
        assertTrue(drained.contains("/var/lib/haproxy/admin.sock"), drained);
        assertTrue(drained.contains("grep -qxF " + ROUND + " /var/lib/kubeha/haproxy-ready/worker2"), drained);
        Phase restart = KubernetesPhasesTest.phase(plan, k + "-2");
        assertEquals(List.of("renew.control-plane", "apiserver.healthy"),
                restart.steps().stream().map(Step::id).toList());
        assertTrue(restart.steps().get(1).verify().orElseThrow().command().contains("https://10.0.8.12:6443/healthz"),
                restart.steps().get(1).toString());
        String stopped = restart.steps().get(0).operations().get(3).describe();
        assertFalse(stopped.contains("sleep 20"), "drained: no wait for haproxy's health check: " + stopped);
    }

    @Test
    void behindTheOperatorsOwnLoadBalancerNothingIsDrainedAndThePodsStayStoppedLongerThanAHealthCheck() {
        Plan plan = plan(PhaseTable.cluster(PhaseTable.OWN_LB), false, true, Optional.empty(), ROUND);
        String k = RenewCertificates.KUBERNETES;
        assertEquals(List.of(RenewCertificates.CHECK_CA, k + "-1", k + "-2"), plan.phaseNames());
        String restart = plan.phases().get(1).steps().get(0).operations().get(1).describe();
        assertTrue(restart.contains("; sleep 20; for f in"), restart);
    }

    @Test
    void aSingleControlPlaneIsNotDrainedSinceNoOtherApiserverCouldTakeItsConnections() {
        Plan plan = plan(PhaseTable.cluster("""
                hosts:
                  - {name: cp1, address: 10.0.8.6, roles: [control-plane, load-balancer]}
                  - {name: lb2, address: 10.0.8.7, roles: [load-balancer]}
                  - {name: node1, address: 10.0.8.31, roles: [worker]}
                loadBalancer: {vip: 10.0.8.100, port: 16443}
                """), false, true, Optional.empty(), ROUND);
        assertEquals(List.of(RenewCertificates.CHECK_CA, RenewCertificates.LOAD_BALANCER,
                RenewCertificates.KUBERNETES + "-1"), plan.phaseNames());
    }

    @Test
    void kubeadmRenewsOncePerRoundSoARenewalRunAgainAfterAFailureDoesNotRenewTwice() {
        String first = KubernetesPhasesTest.describe(plan(false, true, Optional.empty()), "worker1");
        assertTrue(first.contains("run kubeadm certs renew all && mkdir -p /var/lib/kubeha && echo " + ROUND
                + " > /var/lib/kubeha/kubeadm-certs-renewed   (unless: grep -qxF " + ROUND
                + " /var/lib/kubeha/kubeadm-certs-renewed"), first);
        String next = KubernetesPhasesTest.describe(plan(false, true, Optional.empty(), "2027-11-01T00:00:00Z"),
                "worker1");
        assertTrue(next.contains("(unless: grep -qxF 2027-11-01T00:00:00Z /var/lib/kubeha/kubeadm-certs-renewed"),
                next);
    }

    @Test
    void anEtcdMemberGetsItsNewPairsThenRestartsUnlessItRunsThemAndWaitsForTheClusterHealth() {
        String ceph1 = KubernetesPhasesTest.describe(plan(true, false, Optional.empty()), "ceph1");
        assertTrue(ceph1.contains("write /data/etcd/ssl/server.pem"), ceph1);
        assertTrue(ceph1.contains("write /data/etcd/ssl/peer-key.pem"), ceph1);
        Step renew = KubernetesPhasesTest.phase(plan(true, false, Optional.empty()), RenewCertificates.ETCD)
                .stepsOf("ceph3").get(0);
        RunCommand restart = (RunCommand) renew.operations().get(4);
        assertEquals("systemctl restart etcd", restart.command());
        assertEquals("test \"$(timeout 5 openssl s_client -connect 172.21.16.13:2379 </dev/null 2>/dev/null"
                + " | openssl x509 -noout -serial 2>/dev/null)\" = \"$(openssl x509 -noout -serial -in"
                + " /data/etcd/ssl/server.pem)\" && test \"$(timeout 5 openssl s_client -connect 172.21.16.13:2380"
                + " </dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null)\" = \"$(openssl x509 -noout"
                + " -serial -in /data/etcd/ssl/peer.pem)\" && since=$(date -d \"$(systemctl show -p"
                + " ActiveEnterTimestamp --value etcd)\" +%s 2>/dev/null) && test -n \"$since\" && test \"$since\""
                + " -gt \"$(stat -c %Y /data/etcd/ssl/server.pem)\" && test \"$since\" -gt \"$(stat -c %Y"
                + " /data/etcd/ssl/server-key.pem)\" && test \"$since\" -gt \"$(stat -c %Y /data/etcd/ssl/peer.pem)\""
                + " && test \"$since\" -gt \"$(stat -c %Y /data/etcd/ssl/peer-key.pem)\"",
                restart.doneWhen().orElseThrow());
        assertTrue(ceph1.contains("endpoint health --cluster"), ceph1);
        assertTrue(ceph1.contains("openssl x509 -noout -fingerprint -sha256 -in /data/etcd/ssl/ca.pem"), ceph1);
    }

    @Test
    void aControlPlaneRenewsKubeadmsCertificatesOnlyWhenDueAndRestartsItsStaticPodsTheKubeadmWay() {
        String master = KubernetesPhasesTest.describe(plan(true, true, Optional.of(Duration.ofDays(30))), "worker2");
        assertTrue(master.contains("write /etc/kubernetes/pki/apiserver-etcd-client.pem"), master);
        assertTrue(master.contains("/var/lib/kubeha/kubeadm-certs-renewed 2>/dev/null || for c in"), master);
        assertTrue(master.contains("openssl x509 -checkend 2592000"), master);
        assertTrue(master.contains("mv /etc/kubernetes/manifests/$m.yaml /etc/kubernetes/kubeha-restarting/"), master);
        assertTrue(master.contains(Kube.API_HEALTHY), master);
        assertTrue(master.contains("/etc/kubernetes/pki/ca.crt"), master);
    }

    @Test
    void kubernetesOnlyLeavesEtcdAndTheApiserversEtcdClientAlone() {
        Plan plan = plan(false, true, Optional.empty());
        assertEquals(List.of(RenewCertificates.CHECK_CA, RenewCertificates.LOAD_BALANCER,
                RenewCertificates.KUBERNETES + "-1-drain"), plan.phaseNames().subList(0, 3));
        String master = KubernetesPhasesTest.describe(plan, "worker1");
        assertFalse(master.contains("apiserver-etcd-client.pem (0"), master);
        assertTrue(master.contains("run kubeadm certs renew all"), master);
    }
}
