package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.LabAnswers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 5's end-to-end tests: the whole install on a fresh lab with the strict kubeadm/kubelet/kubectl stand-ins
 * from lab/fixtures (installed from their signed apt repository), haproxy lost on the VIP holder during the joins,
 * then reset and install again.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabKubernetesTest {
    static final String VIP_ENDPOINT = "192.168.233.100:16443";
    static final String CP1 = "192.168.233.11";
    static final String CP2 = "192.168.233.12";
    static final String WORKER1 = "192.168.233.21";
    static final String ETCD1 = "192.168.234.11";
    static final String CALLS = "/var/lib/kubeha-lab/calls.jsonl";

    static Path state;
    static Path answers;

    @BeforeAll
    static void freshLab() throws IOException {
        Lab.freshUp();
        Map<String, String> env = Lab.env();
        state = Files.createTempDirectory("kubeha-k8s-state");
        answers = state.resolve("answers.yaml");
        String archive = env.get("KUBEHA_LAB_KUBE_PROMETHEUS_ARCHIVE");
        assertTrue(archive != null && Files.isRegularFile(Path.of(archive)), "lab.sh env: " + env);
        LabAnswers.copy(answers, text -> text.replace("kubePrometheus: false",
                "kubePrometheus: true\n  kubePrometheusArchive: " + archive));
    }

    @AfterAll
    static void takeDown() {
        Lab.down();
    }

    static String calls(String address, String tool) {
        Lab.Result r = Lab.onNode(address, "grep '\"tool\": *\"" + tool + "\"' " + CALLS + " || true");
        assertEquals(0, r.code(), r.out());
        return r.out();
    }

    /** kubeadm init itself, not its phases (upload-certs runs before every join). */
    static final String INIT = "\"argv\": \\[\"init\", \"--config\"";

    static long count(String text, String regex) {
        return text.lines().filter(l -> l.matches(".*" + regex + ".*")).count();
    }

    @Test
    @Order(1)
    void aFullApplySurvivesLosingHaproxyOnTheVipHolderDuringTheJoins() throws Exception {
        Path output = state.resolve("apply.out");
        Process apply = Lab.startKubeha(state, output, "apply", "-f", answers.toString(), "--yes",
                "--accept-new-host-keys");
        long deadline = System.nanoTime() + 900_000_000_000L;
        while (!Files.readString(output).contains("== Join the other control planes through " + VIP_ENDPOINT)) {
            assertTrue(apply.isAlive(), "apply ended before the joins:\n" + Files.readString(output));
            assertTrue(System.nanoTime() < deadline, "no join phase within 900 s:\n" + Files.readString(output));
            Thread.sleep(100);
        }
        assertEquals(0, Lab.onNode(CP1, "ip -o addr show | grep -qw 192.168.233.100").code(), "cp1 holds the VIP");
        assertEquals(0, Lab.onNode(CP1, "systemctl stop haproxy").code());
        assertTrue(apply.waitFor(900, TimeUnit.SECONDS), Files.readString(output));
        String out = Files.readString(output);
        assertEquals(0, apply.exitValue(), out);
        assertTrue(out.contains("healthz: https://" + VIP_ENDPOINT + "/healthz answered 200 ok"), out);
        assertEquals(0, Lab.onNode(CP2, "ip -o addr show | grep -qw 192.168.233.100").code(), "the VIP moved");

        Path kubeconfig = state.resolve("kubeha-lab/admin.conf");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)));
        assertTrue(Files.readString(kubeconfig).contains("server: https://" + VIP_ENDPOINT), "kubeconfig server");
        assertTrue(out.contains("export KUBECONFIG=" + kubeconfig), out);
    }

    @Test
    @Order(2)
    void initRanOnceOnTheFirstControlPlaneAndEveryJoinUsedTheVip() {
        String cp1 = calls(CP1, "kubeadm");
        assertEquals(1, count(cp1, INIT), cp1);
        assertEquals(0, count(calls(CP2, "kubeadm"), INIT));
        for (String node : List.of(CP2, WORKER1)) {
            String joins = calls(node, "kubeadm");
            assertTrue(count(joins, "\"argv\": \\[\"join\"") >= 1, joins);
            joins.lines().filter(l -> l.contains("\"argv\": [\"join\"") && l.contains("\"exit\": 0"))
                    .forEach(l -> assertTrue(l.contains(VIP_ENDPOINT), l));
        }
        String packages = Lab.onNode(WORKER1, "dpkg-query -W -f='${Version}' kubelet kubeadm kubectl;"
                + " echo; apt-mark showhold").out();
        assertTrue(packages.startsWith("1.36.3-1.11.36.3-1.11.36.3-1.1"), packages);
        assertTrue(packages.contains("kubelet") && packages.contains("kubeadm") && packages.contains("kubectl"),
                packages);
    }

    @Test
    @Order(3)
    void theApiAnswersThroughTheVipWithKubehasCaAndEveryNodeIsReady() {
        Path ca = state.resolve("kubeha-lab/pki/kubernetes/ca.pem");
        Lab.Result healthz = Lab.exec(30, "curl", "-sS", "--cacert", ca.toString(), "-w", " %{http_code}",
                "https://" + VIP_ENDPOINT + "/healthz");
        assertEquals("ok 200", healthz.out().strip(), healthz.out());
        Lab.Result nodes = Lab.onNode(CP1, "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes --no-headers");
        assertEquals(3, count(nodes.out(), " Ready "), nodes.out());
        Lab.Result crds = Lab.onNode(CP1, "kubectl --kubeconfig /etc/kubernetes/admin.conf get crd"
                + " prometheuses.monitoring.coreos.com");
        assertEquals(0, crds.code(), crds.out());
    }

    @Test
    @Order(4)
    void aSecondApplyChangesNothing() {
        Lab.Result again = Lab.kubeha(state, 900, "apply", "-f", answers.toString(), "--yes");
        assertEquals(0, again.code(), again.out());
        assertEquals(1, count(calls(CP1, "kubeadm"), INIT), "init again");
    }

    @Test
    @Order(5)
    void resetRemovesTheLeftoversAndApplyInstallsAgain() {
        Lab.Result reset = Lab.kubeha(state, 600, "reset", "-f", answers.toString(), "--yes");
        assertEquals(0, reset.code(), reset.out());
        String leftovers = "ls -A /etc/cni/net.d; ls -d /var/lib/cni /etc/kubernetes/admin.conf"
                + " /etc/kubernetes/kubelet.conf 2>/dev/null; ip -o link show cni0 2>/dev/null;"
                + " ip -o link show flannel.1 2>/dev/null; nft list tables | grep -E 'kube-proxy|flannel' || true";
        for (String node : List.of(CP1, CP2, WORKER1)) {
            Lab.Result left = Lab.onNode(node, leftovers);
            assertEquals("", left.out().strip(), node + " still has: " + left.out());
        }
        assertFalse(Lab.onNode(ETCD1, "test -e /var/lib/etcd").code() == 0, "etcd data removed");
        assertFalse(Files.exists(state.resolve("kubeha-lab/admin.conf")));

        Lab.Result reinstall = Lab.kubeha(state, 900, "apply", "-f", answers.toString(), "--yes");
        assertEquals(0, reinstall.code(), reinstall.out());
        assertEquals(2, count(calls(CP1, "kubeadm"), INIT), "one init per install");
        Lab.Result nodes = Lab.onNode(CP1, "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes --no-headers");
        assertEquals(3, count(nodes.out(), " Ready "), nodes.out());
    }
}
