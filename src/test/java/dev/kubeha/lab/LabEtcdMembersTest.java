package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.LabAnswers;
import dev.kubeha.tui.KubehaProcess;
import dev.kubeha.tui.Tmux;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14's etcd membership end to end on Debian's etcd: 3 members installed; 4 refused without --allow-even (nothing
 * changes), then 3 to 4 with --allow-even and 4 to 5 in a second run (one learner per run) through the TUI's Cluster
 * screen on the per-node panes; then etcd1 replaced by
 * etcd6 in one run, refused without --allow-removal. /healthz through the VIP never fails while the apiservers' etcd
 * endpoints roll, and the audit finds no two apiservers down together.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabEtcdMembersTest {
    static final String CP1 = "192.168.233.11";
    static final String CP2 = "192.168.233.12";
    static final String ETCD1 = "192.168.234.11";
    static final String ETCD3 = "192.168.234.13";
    static final String ETCD3_LINE = "  - {name: etcd3, address: \"192.168.234.13\", roles: [etcd]}\n";
    static final String ETCD1_LINE = "  - {name: etcd1, address: \"192.168.234.11\", roles: [etcd]}\n";
    static final String ETCD4_LINE = "  - {name: etcd4, address: \"192.168.234.14\", roles: [etcd]}\n";
    static final String ETCD5_LINE = "  - {name: etcd5, address: \"192.168.234.15\", roles: [etcd]}\n";
    static final String ETCD6_LINE = "  - {name: etcd6, address: \"192.168.234.16\", roles: [etcd]}\n";

    static Path state;
    static Path answers;

    @BeforeAll
    static void installed() throws IOException {
        state = Lab.freshInstall("kubeha-etcd-members-state", Lab.ROOT.resolve("lab/etcd-members.topology"));
        answers = state.resolve("answers.yaml");
    }

    @AfterAll
    static void takeDown() {
        Lab.down();
    }

    /** etcdctl member list through a member, with its own server certificate. */
    static String members(String through) {
        return Lab.onNode(through, "ETCDCTL_API=3 etcdctl --endpoints=https://" + through + ":2379"
                + " --cacert=/etc/etcd/ssl/ca.pem --cert=/etc/etcd/ssl/server.pem --key=/etc/etcd/ssl/server-key.pem"
                + " member list").out();
    }

    static long startedVoters(String list, String names) {
        return list.lines().filter(l -> l.matches("[0-9a-f]+, started, etcd[" + names + "], .*, false")).count();
    }

    @Test
    @Order(1)
    void fourMembersAreRefusedWithoutAllowEvenAndNothingChanges() throws IOException {
        LabAnswers.copy(answers, text -> text.replace(ETCD3_LINE, ETCD3_LINE + ETCD4_LINE));
        Lab.Result apply = Lab.kubeha(state, 300, "apply", "-f", answers.toString(), "--yes",
                "--accept-new-host-keys");
        assertEquals(1, apply.code(), apply.out());
        assertTrue(apply.out().contains("refused: etcd goes from 3 to 4 members, an even count that tolerates no"
                + " more failures than 3: pass --allow-even to go through it on the way to 5"), apply.out());
        assertEquals(3, members(ETCD1).lines().filter(l -> !l.isBlank()).count(), members(ETCD1));
    }

    @Test
    @Order(2)
    void threeMembersBecomeFourWithAllowEvenWithHealthzAnsweringThroughout() throws Exception {
        Lab.Result apply = probed("add-4", () -> Lab.kubeha(state, 1200, "apply", "-f", answers.toString(), "--yes",
                "--accept-new-host-keys", "--allow-even"));
        assertEquals(0, apply.code(), apply.out());
        assertTrue(apply.out().contains("etcd membership: done, 4 voting members"), apply.out());
        assertEquals(4, startedVoters(members(ETCD1), "1-4"), members(ETCD1));
    }

    @Test
    @Order(3)
    void fourMembersBecomeFiveInTheNextRunThroughTheClusterScreenAndBothApiserversListFive() throws Exception {
        LabAnswers.copy(answers, text -> text.replace(ETCD3_LINE, ETCD3_LINE + ETCD4_LINE + ETCD5_LINE));
        Lab.Result run = probed("add-5", LabEtcdMembersTest::addedOnTheClusterScreen);
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("etcd membership: done, 5 voting members"), run.out());
        assertTrue(run.out().contains("kubeha: apply host changes: done"), run.out());
        String list = members(ETCD1);
        assertEquals(5, startedVoters(list, "1-5"), list);
        for (String cp : List.of(CP1, CP2)) {
            String servers = Lab.onNode(cp, "grep -o -- '--etcd-servers=.*' /etc/kubernetes/manifests/"
                    + "kube-apiserver.yaml").out().strip();
            assertEquals("--etcd-servers=https://192.168.234.11:2379,https://192.168.234.12:2379,"
                    + "https://192.168.234.13:2379,https://192.168.234.14:2379,https://192.168.234.15:2379", servers);
        }
        String uploads = Lab.onNode(CP1, "grep '\"argv\": \\[\"init\", \"phase\", \"upload-config\", \"kubeadm\"'"
                + " /var/lib/kubeha-lab/calls.jsonl | grep -c '\"exit\": 0'").out().strip();
        assertEquals("2", uploads, "one upload of kubeadm's ClusterConfiguration per membership change");
    }

    /**
     * The TUI on the installed cluster in tmux: the Cluster screen's m lists etcd5 joining, etcd5's unknown key is
     * trusted in its dialog, the etcd membership and then the install plan run on the panes, q quits; the console's
     * text and kubeha's exit code.
     */
    static Lab.Result addedOnTheClusterScreen() {
        try {
            Path dir = Files.createTempDirectory(state, "tui");
            List<String> command = List.of(Lab.SCRIPT.toString(), "exec", Lab.javaBinary(),
                    "--enable-native-access=ALL-UNNAMED", Lab.PRODUCTION_LOGGING, "-cp",
                    System.getProperty("java.class.path"), "dev.kubeha.cli.Main", "--answers", answers.toString(),
                    "--state-dir", state.toString(), "--no-probe");
            try (Tmux tmux = new Tmux(dir, 200, 60, KubehaProcess.shellQuoted(command) + " 2>" + dir.resolve("err"))) {
                tmux.await("m apply host changes", Duration.ofSeconds(120));
                tmux.send("m");
                String listed = tmux.await("Apply these changes to the cluster now?", Duration.ofSeconds(60));
                assertTrue(listed.contains("joins: etcd5 (192.168.234.15, etcd)"), listed);
                assertTrue(listed.contains("etcd members: etcd1, etcd2, etcd3, etcd4 -> etcd1, etcd2, etcd3, etcd4,"
                        + " etcd5"), listed);
                tmux.send("Enter");
                tmux.await("etcd5 presents a host key that no known_hosts file lists", Duration.ofSeconds(60));
                tmux.send("Tab", "Enter");
                String etcd = tmux.await("The cluster kubeha-lab has the answers' etcd members.",
                        Duration.ofSeconds(600));
                tmux.send("Enter");
                tmux.await("the install plan's screen", s -> !s.equals(etcd), Duration.ofSeconds(60));
                tmux.await("The cluster kubeha-lab has the answers' hosts.", Duration.ofSeconds(600));
                tmux.send("Enter");
                tmux.await("m apply host changes", Duration.ofSeconds(120));
                tmux.send("q");
                String end = tmux.await("KUBEHA-EXIT=", Duration.ofSeconds(60));
                int code = Integer.parseInt(end.replaceAll("(?s).*KUBEHA-EXIT=(\\d+).*", "$1"));
                return new Lab.Result(code, end + "\nstderr:\n" + Files.readString(dir.resolve("err")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(4)
    void etcd1IsReplacedByEtcd6WithAllowRemovalAndFiveHealthyMembersRemain() throws Exception {
        LabAnswers.copy(answers, text -> text.replace(ETCD3_LINE, ETCD3_LINE + ETCD4_LINE + ETCD5_LINE + ETCD6_LINE)
                .replace(ETCD1_LINE, ""));
        Lab.Result refused = Lab.kubeha(state, 300, "apply", "-f", answers.toString(), "--yes",
                "--accept-new-host-keys");
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.out().contains("refused: the answers remove etcd1 (192.168.234.11, etcd): removal runs"
                + " only with --allow-removal"), refused.out());
        assertEquals(5, members(ETCD3).lines().filter(l -> !l.isBlank()).count(), members(ETCD3));
        Lab.Result apply = probed("replace", () -> Lab.kubeha(state, 1200, "apply", "-f", answers.toString(),
                "--yes", "--accept-new-host-keys", "--allow-removal"));
        assertEquals(0, apply.code(), apply.out());
        String list = members(ETCD3);
        assertEquals(5, startedVoters(list, "2-6"), list);
        assertFalse(list.contains("192.168.234.11"), list);
        Lab.Result health = Lab.onNode(ETCD3, "ETCDCTL_API=3 etcdctl --endpoints=https://" + ETCD3 + ":2379"
                + " --cacert=/etc/etcd/ssl/ca.pem --cert=/etc/etcd/ssl/server.pem --key=/etc/etcd/ssl/server-key.pem"
                + " endpoint health --cluster");
        assertEquals(0, health.code(), health.out());
        Lab.Result gone = Lab.onNode(ETCD1, "! systemctl is-active --quiet etcd && ! systemctl is-enabled --quiet"
                + " etcd && ! test -e /var/lib/etcd && ! test -e /etc/etcd/ssl");
        assertEquals(0, gone.code(), gone.out());
    }

    @Test
    @Order(5)
    void theAuditFindsNoTwoApiserversDown() {
        Lab.Result audit = Lab.run(List.of(Lab.SCRIPT.toString(), "audit"), 120);
        assertEquals(0, audit.code(), audit.out());
    }

    /** Runs {@code run} while /healthz through the VIP is probed every 200 ms; every probe must answer 200. */
    static Lab.Result probed(String name, Supplier<Lab.Result> run) throws Exception {
        Path probes = state.resolve(name + ".healthz");
        Process probe = Lab.healthzProbe(state, probes);
        Lab.Result result;
        long start = System.nanoTime();
        try {
            result = run.get();
        } finally {
            probe.descendants().forEach(ProcessHandle::destroyForcibly);
            probe.destroyForcibly();
        }
        List<String> codes = Files.readAllLines(probes);
        Lab.probedThrough(codes, Duration.ofNanos(System.nanoTime() - start), "change");
        assertEquals(List.of(), codes.stream().filter(c -> !c.equals("200")).toList(),
                "/healthz through the VIP failed (of " + codes.size() + " probes)");
        return result;
    }
}
