package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.pki.EtcdctlCredentials;
import dev.kubeha.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Issue 4's end-to-end tests on a fresh lab: load balancer and etcd installed for real over SSH. */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabLoadBalancerAndEtcdTest {
    static final String UP_TO_ETCD = "os,load-balancer,vip,etcd,etcd-start";
    static final String VIP = "192.168.233.100";
    static final String CP1 = "192.168.233.11";
    static final String CP2 = "192.168.233.12";
    static final String WORKER1 = "192.168.233.21";
    static final String ETCD_ENDPOINTS = "https://192.168.234.11:2379,https://192.168.234.12:2379,"
            + "https://192.168.234.13:2379";

    static Path state;
    static Path clusterState;
    static RunLogs logs;

    @BeforeAll
    static void freshLab() throws IOException {
        Lab.freshUp();
        state = Files.createTempDirectory("kubeha-lab-state");
        clusterState = state.resolve("kubeha-lab");
        logs = new RunLogs(clusterState.resolve("logs"));
    }

    @AfterAll
    static void takeDown() {
        Lab.down();
    }

    @Test
    @Order(1)
    void anApplyKilledDuringEtcdResumesWithoutRepeatingJournaledSteps() throws Exception {
        Path output = Files.createTempFile("kubeha-apply", ".out");
        Process apply = Lab.startKubeha(state, output, "apply", "-f", Lab.ANSWERS.toString(), "--yes",
                "--accept-new-host-keys", "--only", UP_TO_ETCD);
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!Files.readString(output).matches("(?s).*etcd\\d +\\[\\d+/\\d+\\] Create the etcd system user … (already )?done.*")) {
            assertTrue(apply.isAlive(), "apply ended before the etcd phase:\n" + Files.readString(output));
            assertTrue(System.nanoTime() < deadline, "no etcd step within 300 s:\n" + Files.readString(output));
            Thread.sleep(50);
        }
        apply.descendants().forEach(ProcessHandle::destroyForcibly);
        apply.destroyForcibly();
        apply.waitFor();
        Map<String, String> first = logs.outcomes();
        assertTrue(first.keySet().stream().anyMatch(k -> k.endsWith("/etcd.user")), first.toString());
        assertFalse(first.keySet().stream().anyMatch(k -> k.endsWith("/etcd.start")), "killed before etcd started");
        Set<String> journaledAtKill = journaled(clusterState.resolve("journal"));

        logs.mark();
        Lab.Result refused = Lab.kubeha(state, 120, "apply", "-f", Lab.ANSWERS.toString(), "--yes");
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.out().contains("that process is gone from this jump host: run again with --break-lock"),
                refused.out());
        Lab.Result resumed = Lab.kubeha(state, 600, "apply", "-f", Lab.ANSWERS.toString(), "--yes", "--break-lock",
                "--only", UP_TO_ETCD);
        assertEquals(0, resumed.code(), resumed.out());
        Map<String, String> second = logs.outcomes();
        // What the journal held at the kill, not what the logs showed: under the graph schedule another host's step
        // can finish and be journaled in the instant before the kill, before its log line is written.
        Set<String> done = journaledAtKill;
        for (String step : done) {
            assertEquals("journaled", second.get(step), step + " was repeated: " + second);
        }
        Set<String> rest = second.keySet().stream().filter(k -> !done.contains(k)).collect(Collectors.toSet());
        assertTrue(rest.stream().anyMatch(k -> k.endsWith("/etcd.start")), second.toString());
        rest.forEach(k -> assertNotEquals("journaled", second.get(k), k));
    }

    /** host/step for every step a journal directory records as done (entries are "STEP FINGERPRINT TIME"). */
    private static Set<String> journaled(Path dir) throws IOException {
        Set<String> done = new TreeSet<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".journal")).toList()) {
                String host = file.getFileName().toString().replaceFirst("\\.journal$", "");
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.split(" ");
                    if (fields.length == 3 && !fields[0].equals("pending")) {
                        done.add(host + "/" + fields[0]);
                    }
                }
            }
        }
        return done;
    }

    @Test
    @Order(2)
    void etcdIsHealthyWithAClientCertificateAndRefusesOneWithout() {
        ClusterSpec spec = AnswersFile.load(Lab.ANSWERS).spec().orElseThrow();
        EtcdctlCredentials creds = EtcdPki.loadOrCreate(StateDir.at(clusterState), spec).etcdctlCredentials()
                .orElseThrow();
        Lab.Result healthy = Lab.exec(60, "env", "ETCDCTL_API=3", "etcdctl", "--endpoints=" + ETCD_ENDPOINTS,
                "--cacert=" + creds.caCertificate(), "--cert=" + creds.certificate(), "--key=" + creds.key(),
                "endpoint", "health", "--cluster");
        assertEquals(0, healthy.code(), healthy.out());
        assertEquals(3, healthy.out().lines().filter(l -> l.contains("is healthy")).count(), healthy.out());
        Lab.Result anonymous = Lab.exec(60, "env", "ETCDCTL_API=3", "etcdctl", "--endpoints=" + ETCD_ENDPOINTS,
                "--cacert=" + creds.caCertificate(), "--dial-timeout=3s", "--command-timeout=5s", "endpoint", "health");
        assertNotEquals(0, anonymous.code(), anonymous.out());
        assertFalse(anonymous.out().contains("is healthy"), anonymous.out());
    }

    @Test
    @Order(2)
    void thePeerPortAdmitsPeerCertificatesAndRefusesClientCertificatesOfTheSameCa() {
        String members = "https://192.168.234.11:2380/members";
        String etcdFiles = "--cacert /etc/etcd/ssl/ca.pem --cert /etc/etcd/ssl/%s.pem --key /etc/etcd/ssl/%s-key.pem ";
        Lab.Result peer = Lab.onNode("192.168.234.12", CURL + etcdFiles.formatted("peer", "peer") + members);
        assertEquals(0, peer.code(), peer.out());
        assertTrue(peer.out().contains("\"etcd3\""), peer.out());
        Lab.Result server = Lab.onNode("192.168.234.12", CURL + etcdFiles.formatted("server", "server") + members);
        assertRefused("etcd2's server certificate", server);
        Lab.Result apiserver = Lab.onNode(CP1, CURL + "--cacert /etc/kubernetes/pki/etcd/ca.pem"
                + " --cert /etc/kubernetes/pki/apiserver-etcd-client.pem"
                + " --key /etc/kubernetes/pki/apiserver-etcd-client-key.pem " + members);
        assertRefused("the API server's etcd client certificate", apiserver);
        Path pki = clusterState.resolve(EtcdPki.STATE_SUBDIR);
        Lab.Result operator = Lab.exec(60, "sh", "-c", CURL + "--cacert " + pki.resolve("ca.pem") + " --cert "
                + pki.resolve("kubeha-etcdctl.pem") + " --key " + pki.resolve("kubeha-etcdctl-key.pem") + " " + members);
        assertRefused("the operator's etcdctl certificate", operator);
    }

    static final String CURL = "curl -sS --http1.1 --max-time 10 ";

    private static void assertRefused(String what, Lab.Result result) {
        assertNotEquals(0, result.code(), what + " was accepted on the peer port: " + result.out());
        assertFalse(result.out().contains("etcd3"), result.out());
    }

    @Test
    @Order(3)
    void theVipAnswersOnTheLoadBalancerPort() {
        Lab.Result connect = Lab.exec(30, "bash", "-c", "exec 3<>/dev/tcp/" + VIP + "/16443");
        assertEquals(0, connect.code(), connect.out());
        assertEquals(0, Lab.onNode(CP1, "ip -o addr show | grep -qw " + VIP).code(), "the first LB host holds it");
        assertNotEquals(0, Lab.onNode(CP2, "ip -o addr show | grep -qw " + VIP).code(), "only one holder");
    }

    @Test
    @Order(4)
    void aSecondApplyChangesNothingAndFreshChecksFindEverythingDone() throws IOException {
        logs.mark();
        Lab.Result again = Lab.kubeha(state, 600, "apply", "-f", Lab.ANSWERS.toString(), "--yes", "--only",
                UP_TO_ETCD);
        assertEquals(0, again.code(), again.out());
        Map<String, String> journaled = logs.outcomes();
        assertFalse(journaled.isEmpty());
        assertEquals(Set.of("journaled"), Set.copyOf(journaled.values()), journaled.toString());

        try (var files = Files.list(clusterState.resolve("journal"))) {
            for (Path journal : files.toList()) {
                Files.delete(journal);
            }
        }
        logs.mark();
        Lab.Result checked = Lab.kubeha(state, 600, "apply", "-f", Lab.ANSWERS.toString(), "--yes", "--only",
                UP_TO_ETCD);
        assertEquals(0, checked.code(), checked.out());
        Map<String, String> outcomes = logs.outcomes();
        assertEquals(journaled.keySet(), outcomes.keySet());
        assertEquals(Set.of("already_done", "checked"), Set.copyOf(outcomes.values()), outcomes.toString());
        outcomes.forEach((step, outcome) -> assertEquals(step.contains("/vip."), outcome.equals("checked"), step));
    }

    @Test
    @Order(5)
    void stoppingHaproxyOnTheVipHolderMovesTheVipWithinTenSeconds() throws InterruptedException {
        assertEquals(0, Lab.onNode(CP1, "systemctl stop haproxy").code());
        long start = System.nanoTime();
        long movedAt = 0;
        while (System.nanoTime() - start < 20_000_000_000L) {
            if (Lab.onNode(CP2, "ip -o addr show | grep -qw " + VIP).code() == 0) {
                movedAt = System.nanoTime();
                break;
            }
            Thread.sleep(100);
        }
        double seconds = (movedAt - start) / 1e9;
        System.out.printf("failover drill: the VIP moved from cp1 to cp2 %.1f s after haproxy stopped%n", seconds);
        assertTrue(movedAt > 0 && seconds <= 10, "VIP did not move within 10 s");
        assertEquals(0, Lab.exec(30, "bash", "-c", "exec 3<>/dev/tcp/" + VIP + "/16443").code(),
                "the VIP answers from cp2");
        assertEquals(0, Lab.onNode(CP1, "systemctl start haproxy").code());
    }

    @Test
    @Order(6)
    void aChangedHostKeyIsRefusedNamingBothFingerprints() {
        assertEquals(0, Lab.onNode(WORKER1, "rm -f /etc/ssh/ssh_host_* && ssh-keygen -A >/dev/null"
                + " && systemctl restart ssh").code());
        Lab.Result refused = Lab.kubeha(state, 300, "apply", "-f", Lab.ANSWERS.toString(), "--yes",
                "--accept-new-host-keys");
        assertEquals(1, refused.code(), refused.out());
        String line = refused.out().lines().filter(l -> l.contains("worker1") && l.contains(WORKER1))
                .findFirst().orElse("");
        assertTrue(line.matches(".*SHA256:\\S+.*SHA256:\\S+.*"), refused.out());
    }
}
