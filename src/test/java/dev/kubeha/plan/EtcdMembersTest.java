package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.render.KubeadmConfig;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd membership workflow: members joined one at a time, the apiservers rolled, a member removed last. */
class EtcdMembersTest {
    @TempDir
    Path dir;

    Plan plan(ClusterSpec answers, String live) {
        EtcdMembership change = EtcdMembership.of(answers, EtcdMembership.parse(live));
        return EtcdMembers.WORKFLOW.plan(new EtcdMembersInput(PhaseTable.input(answers, OsFamily.DEBIAN, dir),
                change));
    }

    static Phase phase(Plan plan, String name) {
        return KubernetesPhasesTest.phase(plan, name);
    }

    static RunCommand command(Step step) {
        return (RunCommand) step.operations().stream().filter(o -> o instanceof RunCommand).findFirst()
                .orElseThrow();
    }

    @Test
    void twoJoiningMembersAreAddedOneAtATimeThenTheApiserversOneAtATime() {
        ClusterSpec answers = EtcdMembershipTest.withMembers("ceph4", "172.21.16.15", "ceph5", "172.21.16.16");
        Plan plan = plan(answers, EtcdMembershipTest.THREE);
        assertEquals(List.of(EtcdMembers.HEALTH, EtcdMembers.OS, EtcdMembers.INSTALL,
                "etcd-members-add-1-learner", "etcd-members-add-1-start", "etcd-members-add-1-promote",
                "etcd-members-add-2-learner", "etcd-members-add-2-start", "etcd-members-add-2-promote",
                "etcd-members-apiservers-worker1-drain", "etcd-members-apiservers-worker1",
                "etcd-members-apiservers-worker1-ready", "etcd-members-apiservers-worker2-drain",
                "etcd-members-apiservers-worker2", "etcd-members-apiservers-worker2-ready",
                "etcd-members-apiservers-kubeadm-config"), plan.phaseNames());
        for (int i = 1; i < plan.phases().size(); i++) {
            Phase p = plan.phases().get(i);
            String before = plan.phases().get(i - 1).name();
            assertTrue(p.needs().stream().anyMatch(n -> n.phase().equals(before)), p.name() + " waits for " + before);
        }
        assertEquals(List.of("ceph4", "ceph5"), List.copyOf(phase(plan, EtcdMembers.OS).hosts()));
        Phase install = phase(plan, EtcdMembers.INSTALL);
        assertEquals(List.of("etcd.user", "etcd.binary", "etcd.dirs", "etcd.certs", "etcd.unit"),
                install.stepsOf("ceph5").stream().map(Step::id).toList());
        String unit = ((WriteFile) install.stepsOf("ceph5").get(4).operations().get(0)).file().text();
        assertTrue(unit.contains("--initial-cluster=ceph1=https://172.21.16.14:2380,ceph2=https://172.21.16.6:2380,"
                + "ceph3=https://172.21.16.13:2380,ceph4=https://172.21.16.15:2380,ceph5=https://172.21.16.16:2380 "),
                unit);
        assertTrue(unit.contains("--initial-cluster-state=existing"), unit);
        assertFalse(((WriteFile) install.stepsOf("ceph5").get(3).operations().get(0)).file().path().isEmpty());

        Step add = phase(plan, "etcd-members-add-1-learner").steps().get(0);
        assertEquals("ceph1", add.host());
        assertTrue(command(add).doneWhen().orElseThrow().endsWith(" member list | grep -qF -- ', "
                + "https://172.21.16.15:2380, '"), command(add).doneWhen().orElseThrow());
        assertTrue(command(add).command().contains(" member add ceph4 --learner --peer-urls=https://172.21.16.15:2380"
                + " 2>&1) && exit 0; case \"$out\" in *'unhealthy cluster'*) sleep 2 ;;"), command(add).command());
        Step start = phase(plan, "etcd-members-add-1-start").steps().get(0);
        assertEquals("ceph4", start.host());
        assertTrue(start.verify().orElseThrow().command().endsWith("member list | grep -qF -- ', started, ceph4, "
                + "https://172.21.16.15:2380, '"), start.verify().orElseThrow().command());
        Step promote = phase(plan, "etcd-members-add-2-promote").steps().get(0);
        assertEquals("ceph1", promote.host());
        assertTrue(command(promote).command().contains(" member promote \"$id\" 2>&1) && exit 0; case \"$out\" in"
                + " *'in sync with leader'*) sleep 2 ;;"), command(promote).command());
        assertTrue(promote.verify().orElseThrow().command().contains("--endpoints='https://172.21.16.14:2379,"
                + "https://172.21.16.6:2379,https://172.21.16.13:2379,https://172.21.16.15:2379,"
                + "https://172.21.16.16:2379' "), promote.verify().orElseThrow().command());

        Phase drain = phase(plan, "etcd-members-apiservers-worker1-drain");
        assertEquals(List.of("worker1", "worker2"), drain.steps().stream().map(Step::host).toList(),
                "worker1's apiserver leaves every haproxy before its restart");
        assertEquals(List.of("haproxy.drain.worker1", "haproxy.drain.worker1"), drain.steps().stream()
                .map(Step::id).toList());
        String round = EtcdMemberPhases.round(EtcdMembers.etcdServers(answers));
        assertTrue(round.matches("etcd-servers-[0-9a-f]{16}"), round);
        assertTrue(command(phase(plan, "etcd-members-apiservers-worker1-ready").steps().get(0)).command()
                .contains("echo " + round + " > "), "the round marks worker1 done on each haproxy");
        Phase first = phase(plan, "etcd-members-apiservers-worker1");
        assertTrue(first.oneHostAtATime());
        Step endpoints = first.steps().get(0);
        assertEquals("worker1", endpoints.host());
        String verify = endpoints.verify().orElseThrow().command();
        assertTrue(verify.contains("crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock ps --name"
                + " '^kube-apiserver$' -o json"), verify);
        assertTrue(verify.contains("+ 6))\" ]"), verify);
        assertTrue(verify.endsWith("https://10.0.8.6:6443/healthz >/dev/null"), verify);
        Step config = phase(plan, "etcd-members-apiservers-kubeadm-config").steps().get(0);
        assertEquals("worker1", config.host());
        assertEquals(KubeadmConfig.INIT, ((WriteFile) config.operations().get(0)).file().path());
        assertTrue(((WriteFile) config.operations().get(0)).file().text().contains("https://172.21.16.16:2379"));
        assertEquals("kubeadm init phase upload-config kubeadm --config " + KubeadmConfig.INIT,
                command(config).command());
    }

    @Test
    void aLeavingMemberLosesTheLeadershipIsRemovedAfterTheApiserversAndItsHostIsCleanedLast() {
        ClusterSpec answers = EtcdMembershipTest.without(GuideSpecs.guide(), "ceph3");
        Plan plan = plan(answers, EtcdMembershipTest.THREE);
        assertEquals(List.of(EtcdMembers.HEALTH, "etcd-members-apiservers-worker1-drain",
                "etcd-members-apiservers-worker1", "etcd-members-apiservers-worker1-ready",
                "etcd-members-apiservers-worker2-drain", "etcd-members-apiservers-worker2",
                "etcd-members-apiservers-worker2-ready", "etcd-members-apiservers-kubeadm-config",
                "etcd-members-remove-ceph3-leader", "etcd-members-remove-ceph3-member",
                "etcd-members-remove-ceph3-host"), plan.phaseNames());
        Step apiserver = phase(plan, "etcd-members-apiservers-worker2").steps().get(0);
        assertTrue(command(apiserver).command().contains("\\1https://172.21.16.14:2379,"
                + "https://172.21.16.6:2379#' "), command(apiserver).command());
        Step leader = phase(plan, "etcd-members-remove-ceph3-leader").steps().get(0);
        assertEquals("ceph1", leader.host());
        assertTrue(command(leader).command().endsWith("--endpoints=https://172.21.16.13:2379 --cacert=/data/etcd"
                + "/ssl/ca.pem --cert=/data/etcd/ssl/server.pem --key=/data/etcd/ssl/server-key.pem"
                + " --command-timeout=5s move-leader \"$target\""), command(leader).command());
        Step remove = phase(plan, "etcd-members-remove-ceph3-member").steps().get(0);
        assertTrue(command(remove).command().endsWith(" member remove fd422379fda50e48"), command(remove).command());
        assertTrue(remove.verify().orElseThrow().command().contains("--endpoints='https://172.21.16.14:2379,"
                + "https://172.21.16.6:2379' "), remove.verify().orElseThrow().command());
        List<Step> host = phase(plan, "etcd-members-remove-ceph3-host").steps();
        assertEquals(List.of("ceph3 etcd.snapshot-timer-removed", "ceph3 reset.etcd"),
                host.stream().map(s -> s.host() + " " + s.id()).toList());
    }

    @Test
    void anUnchangedMembershipOnlyRollsTheApiserversThatAnInterruptedRunLeftBehind() {
        Plan plan = plan(GuideSpecs.guide(), EtcdMembershipTest.THREE);
        assertEquals(List.of(EtcdMembers.HEALTH, "etcd-members-apiservers-worker1-drain",
                "etcd-members-apiservers-worker1", "etcd-members-apiservers-worker1-ready",
                "etcd-members-apiservers-worker2-drain", "etcd-members-apiservers-worker2",
                "etcd-members-apiservers-worker2-ready", "etcd-members-apiservers-kubeadm-config"), plan.phaseNames());
        assertEquals("--etcd-servers=https://172.21.16.14:2379,https://172.21.16.6:2379,https://172.21.16.13:2379",
                EtcdMembers.etcdServers(GuideSpecs.guide()));
    }

    @Test
    void withoutAStartedVotingMemberInTheAnswersNothingIsPlanned() {
        ClusterSpec answers = EtcdMembershipTest.withMembers("ceph4", "172.21.16.15");
        String none = "6e3bd23ae5f1eae0, unstarted, , https://172.21.16.15:2380, , true\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(answers, none));
        assertTrue(e.getMessage().startsWith("no etcd host of the answers is a started voting member"),
                e.getMessage());
    }

    @Test
    void theManifestEditReplacesOnlyTheEtcdServersLineAndItsCheckSeesIt() throws Exception {
        ClusterSpec answers = EtcdMembershipTest.without(GuideSpecs.guide(), "ceph3");
        Step step = phase(plan(answers, EtcdMembershipTest.THREE), "etcd-members-apiservers-worker1").steps().get(0);
        Path manifest = dir.resolve("kube-apiserver.yaml");
        Files.writeString(manifest, """
                spec:
                  containers:
                  - command:
                    - kube-apiserver
                    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.pem
                    - --etcd-servers=https://172.21.16.14:2379,https://172.21.16.6:2379,https://172.21.16.13:2379
                    - --secure-port=6443
                """);
        RunCommand edit = command(step);
        String check = edit.doneWhen().orElseThrow().replace(EtcdMemberPhases.APISERVER_MANIFEST, manifest.toString());
        assertEquals(1, bash(check));
        assertEquals(0, bash(edit.command().replace(EtcdMemberPhases.APISERVER_MANIFEST, manifest.toString())
                .replace(EtcdMemberPhases.MANIFEST_DRAFT, dir.resolve("draft").toString())));
        assertEquals("""
                spec:
                  containers:
                  - command:
                    - kube-apiserver
                    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.pem
                    - --etcd-servers=https://172.21.16.14:2379,https://172.21.16.6:2379
                    - --secure-port=6443
                """, Files.readString(manifest));
        assertEquals(0, bash(check));
    }

    @Test
    void aTransientRefusalOfEtcdIsRetriedAndAnyOtherFailsAtOnce() throws Exception {
        Path count = dir.resolve("count");
        String flaky = "{ n=$(cat " + count + " 2>/dev/null || echo 0); echo $((n + 1)) > " + count + "; [ $n -ge 2 ]"
                + " || { echo 'Error: etcdserver: unhealthy cluster'; false; }; }";
        assertEquals(0, bash(EtcdMemberPhases.retrying("", flaky, "unhealthy cluster", Duration.ofSeconds(10))));
        assertEquals("3", Files.readString(count).strip());
        assertEquals(1, bash(EtcdMemberPhases.retrying("", "{ echo 'Error: etcdserver: member not found'; false; }",
                "unhealthy cluster", Duration.ofSeconds(10))));
    }

    static int bash(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), out);
        return p.exitValue();
    }
}
