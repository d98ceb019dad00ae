package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.install.EtcdSnapshots;
import dev.kubeha.testing.LabAnswers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14's upgrade end to end: 1.36.3 installed, kubeha upgrade to 1.37.1 killed after the first control plane
 * and resumed; /healthz through the VIP never fails, every node ends on 1.37.1, and the lab's audit finds no two
 * apiservers down together and no kubelet restarted without a drain.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabUpgradeTest {
    static final String CP1 = "192.168.233.11";
    static final String CP2 = "192.168.233.12";
    static final String WORKER1 = "192.168.233.21";
    static final String KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf";

    static Path state;
    static Path answers;

    @BeforeAll
    static void installed() throws IOException {
        Lab.freshUp();
        state = Files.createTempDirectory("kubeha-upgrade-state");
        answers = state.resolve("answers.yaml");
        LabAnswers.copy(answers, text -> text);
        Lab.Result apply = Lab.kubeha(state, 900, "apply", "-f", answers.toString(), "--yes",
                "--accept-new-host-keys");
        assertEquals(0, apply.code(), apply.out());
    }

    @AfterAll
    static void takeDown() {
        Lab.down();
    }

    @Test
    @Order(1)
    void refusalsChangeNothing() {
        Lab.Result skip = Lab.kubeha(state, 60, "upgrade", "-f", answers.toString(), "--to", "1.38.0", "--yes");
        assertEquals(1, skip.code(), skip.out());
        assertTrue(skip.out().contains("refused: kubeha does not support Kubernetes 1.38"), skip.out());
        Lab.Result down = Lab.kubeha(state, 60, "upgrade", "-f", answers.toString(), "--to", "1.35.5", "--yes");
        assertTrue(down.out().contains("refused: the cluster runs 1.36.3: a downgrade to 1.35.5 is not possible"),
                down.out());
        assertEquals(0, Lab.onNode(CP2, "cp -p /etc/haproxy/haproxy.cfg /root/haproxy.cfg.kept"
                + " && echo '# changed by hand' >> /etc/haproxy/haproxy.cfg").code());
        Lab.Result degraded = Lab.kubeha(state, 120, "upgrade", "-f", answers.toString(), "--to", "1.37.1", "--yes");
        assertEquals(0, Lab.onNode(CP2, "cp -p /root/haproxy.cfg.kept /etc/haproxy/haproxy.cfg").code());
        assertEquals(1, degraded.code(), degraded.out());
        assertTrue(degraded.out().contains("refused: status: cp2: /etc/haproxy/haproxy.cfg differs from what the"
                + " answers render"), degraded.out());
        assertEquals(1, Lab.onNode(CP1, "grep -q 'kube-apiserver:v1.37.1' /etc/kubernetes/manifests/kube-apiserver.yaml"
                + " || test -e /var/lib/kubeha/backups/pre-upgrade-1.36.3-to-1.37.1.db").code(), "nothing changed");
    }

    @Test
    @Order(2)
    void anUpgradeKilledAfterTheFirstControlPlaneResumesAndEndsWithEveryNodeOnTheTarget() throws Exception {
        Path probes = state.resolve("healthz.codes");
        Process probe = Lab.healthzProbe(state, probes);
        long probing = System.nanoTime();
        Path output = state.resolve("upgrade.out");
        Process upgrade = Lab.startKubeha(state, output, "upgrade", "-f", answers.toString(), "--to", "1.37.1",
                "--yes");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(900);
        while (!Files.readString(output).contains("== kubeadm 1.37.1 on the other control planes")) {
            assertTrue(upgrade.isAlive(), "the upgrade ended before the other control planes:\n"
                    + Files.readString(output));
            assertTrue(System.nanoTime() < deadline, "no second control plane within 900 s:\n"
                    + Files.readString(output));
            Thread.sleep(100);
        }
        upgrade.descendants().forEach(ProcessHandle::destroyForcibly);
        upgrade.destroyForcibly();
        upgrade.waitFor(30, TimeUnit.SECONDS);
        assertEquals("v1.37.1", Lab.onNode(CP1, "grep -o 'kube-apiserver:v[0-9.]*' "
                + "/etc/kubernetes/manifests/kube-apiserver.yaml | cut -d: -f2").out().strip());

        Lab.Result resumed = Lab.kubeha(state, 1200, "upgrade", "-f", answers.toString(), "--to", "1.37.1", "--yes",
                "--break-lock");
        probe.descendants().forEach(ProcessHandle::destroyForcibly);
        probe.destroyForcibly();
        List<String> codes = Files.readAllLines(probes);
        Lab.probedThrough(codes, Duration.ofNanos(System.nanoTime() - probing), "upgrade");
        assertEquals(List.of(), codes.stream().filter(c -> !c.equals("200")).toList(),
                "/healthz through the VIP failed during the upgrade (of " + codes.size() + " probes)");
        assertEquals(0, resumed.code(), resumed.out());
        assertTrue(resumed.out().matches("(?s).*healthz during the upgrade: https://192\\.168\\.233\\.100:16443"
                + "/healthz: [1-9][0-9]* probes every 200 ms, 0 failed.*"), resumed.out());
        assertTrue(resumed.out().contains("etcd backup taken before the upgrade: etcd1:"
                + "/var/lib/kubeha/backups/pre-upgrade-1.36.3-to-1.37.1.db"), resumed.out());
        assertEquals(0, Lab.onNode("192.168.234.11",
                "test -s /var/lib/kubeha/backups/pre-upgrade-1.36.3-to-1.37.1.db").code());
        Path copy = state.resolve("kubeha-lab/backups/pre-upgrade-1.36.3-to-1.37.1.db");
        assertTrue(resumed.out().contains(", copied to " + copy + " (0600, sha256 "), resumed.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        assertTrue(Files.readString(EtcdSnapshots.recordOf(copy)).contains("\"revision\""));
        String applies = Lab.onNode(CP1, "grep '\"argv\": \\[\"upgrade\", \"apply\"' /var/lib/kubeha-lab/calls.jsonl"
                + " | grep -c '\"exit\": 0'").out().strip();
        assertEquals("1", applies, "the resumed run did not apply again");
    }

    @Test
    @Order(3)
    void everyNodeRunsTheTargetAndTheAnswersSaySoWithTheirComments() throws IOException {
        Lab.Result nodes = Lab.onNode(CP1, KUBECTL + " get nodes --no-headers");
        assertEquals(3, nodes.out().lines().filter(l -> l.matches("\\S+\\s+Ready\\s+.*\\sv1\\.37\\.1\\s*")).count(),
                nodes.out());
        for (String node : List.of(CP1, CP2, WORKER1)) {
            String packages = Lab.onNode(node, "dpkg-query -W -f='${Version} ' kubelet kubeadm kubectl;"
                    + " apt-mark showhold | tr '\\n' ' '; cat /etc/apt/sources.list.d/kubernetes.list").out();
            assertTrue(packages.startsWith("1.37.1-1.1 1.37.1-1.1 1.37.1-1.1 kubeadm kubectl kubelet "), packages);
            assertTrue(packages.contains("/core:/stable:/v1.37/deb/ /"), packages);
        }
        String text = Files.readString(answers);
        assertTrue(text.contains("kubernetesVersion: \"1.37.1\"          # full version; kubeha supports"), text);
        Lab.Result again = Lab.kubeha(state, 60, "upgrade", "-f", answers.toString(), "--to", "1.37.1", "--yes");
        assertTrue(again.out().contains("refused: the cluster runs 1.37.1 already"), again.out());
    }

    @Test
    @Order(4)
    void theAuditFindsNoTwoApiserversDownAndNoKubeletRestartedWithoutADrain() {
        Lab.Result audit = Lab.run(List.of(Lab.SCRIPT.toString(), "audit"), 120);
        assertEquals(0, audit.code(), audit.out());
    }
}
