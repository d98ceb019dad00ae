package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.pki.EtcdPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13's certificate tests on the lab: status on a fresh install, certificates made to expire soon through the
 * test-only validity, status naming them, a rolling renewal with /healthz through the VIP probed every 200 ms and
 * never failing (each apiserver drained on every haproxy before its restart), new dates on every host, never two
 * kube-apiservers down together, and a host with a foreign CA refused untouched; then etcd.backup's timer on every
 * member, its service run once pruning to the newest two, status showing it, and a backup taken with kubeha's own
 * etcdctl pair, which does not stay on the member.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabCertificatesTest {
    static final List<String> CONTROL_PLANES = List.of("192.168.233.11", "192.168.233.12");
    static final List<String> ETCD = List.of("192.168.234.11", "192.168.234.12", "192.168.234.13");
    static final String ETCD_DIR = "/etc/etcd/ssl";

    static Path state;
    static Path answers;

    @BeforeAll
    static void installed() throws IOException {
        state = Lab.freshInstall("kubeha-certs-state", text -> text.replace("\netcd:\n",
                "\netcd:\n  backup: {schedule: daily, keep: 2}\n"));
        answers = state.resolve("answers.yaml");
    }

    @AfterAll
    static void takeDown() {
        Lab.down();
    }

    Lab.Result kubeha(long timeout, String... args) {
        return Lab.kubeha(state, timeout, args);
    }

    @Test
    @Order(1)
    void aFreshInstallIsHealthy() {
        Lab.Result status = kubeha(120, "status", "-f", answers.toString());
        assertEquals(0, status.code(), status.out());
        assertTrue(status.out().contains("cluster kubeha-lab: healthy"), status.out());
        Lab.Result json = kubeha(120, "status", "-f", answers.toString(), "--output", "json");
        assertEquals(0, json.code(), json.out());
        assertTrue(json.out().contains("\"healthy\":true"), json.out());
        assertTrue(json.out().contains("\"leader\":true"), json.out());
    }

    @Test
    @Order(2)
    void certificatesIssuedToExpireSoonMakeStatusExitOneNamingThem() {
        Lab.Result shortLived = Lab.kubehaWithEnv(state, 600, List.of(EtcdPki.TEST_VALIDITY_DAYS_ENV + "=20"),
                "certs", "renew", "-f", answers.toString(), "--etcd");
        assertEquals(0, shortLived.code(), shortLived.out());
        Lab.Result status = kubeha(120, "status", "-f", answers.toString());
        assertEquals(1, status.code(), status.out());
        assertTrue(status.out().contains("expires within 30 days: etcd-server on etcd1"), status.out());
        assertTrue(status.out().contains("expires within 30 days: apiserver-etcd-client on cp2"), status.out());
        assertTrue(enddate(ETCD.get(0), ETCD_DIR + "/server.pem").isBefore(Instant.now().plus(Duration.ofDays(21))));
    }

    @Test
    @Order(3)
    void aHostWithAForeignCaIsRefusedBeforeAnythingIsWritten() {
        String etcd2 = ETCD.get(1);
        String before = Lab.onNode(etcd2, "sha256sum " + ETCD_DIR + "/server.pem").out();
        assertEquals(0, Lab.onNode(etcd2, "cp " + ETCD_DIR + "/ca.pem /root/ca.pem.kept && openssl req -x509 -newkey"
                + " ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /root/foreign.key -subj /CN=foreign -days 30"
                + " -out " + ETCD_DIR + "/ca.pem 2>/dev/null").code());
        try {
            Lab.Result renew = kubeha(600, "certs", "renew", "-f", answers.toString(), "--etcd");
            assertEquals(1, renew.code(), renew.out());
            assertTrue(renew.out().contains("renew.check-ca"), renew.out());
            assertEquals(before, Lab.onNode(etcd2, "sha256sum " + ETCD_DIR + "/server.pem").out());
            assertTrue(enddate(ETCD.get(0), ETCD_DIR + "/server.pem")
                    .isBefore(Instant.now().plus(Duration.ofDays(21))), "etcd1 untouched");
        } finally {
            assertEquals(0, Lab.onNode(etcd2, "cp /root/ca.pem.kept " + ETCD_DIR + "/ca.pem").code());
        }
    }

    @Test
    @Order(4)
    void aRollingRenewalKeepsHealthzAnsweringAndPutsNewDatesOnEveryHost() throws Exception {
        Path probes = state.resolve("healthz.log");
        Process prober = Lab.healthzProbe(state, probes);
        Lab.Result renew;
        try {
            renew = kubeha(900, "certs", "renew", "-f", answers.toString());
        } finally {
            prober.descendants().forEach(ProcessHandle::destroy);
            prober.destroy();
            prober.waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(0, renew.code(), renew.out());
        Instant renewedBy = Instant.now().plus(Duration.ofDays(300));
        for (String member : ETCD) {
            for (String file : List.of("server.pem", "peer.pem")) {
                assertTrue(enddate(member, ETCD_DIR + "/" + file).isAfter(renewedBy), member + " " + file);
            }
        }
        for (String cp : CONTROL_PLANES) {
            assertTrue(enddate(cp, "/etc/kubernetes/pki/apiserver-etcd-client.pem").isAfter(renewedBy), cp);
            assertTrue(enddate(cp, "/etc/kubernetes/pki/apiserver.crt").isAfter(renewedBy), cp);
        }
        Lab.Result audit = Lab.run(List.of(Lab.SCRIPT.toString(), "audit"), 120);
        assertEquals(0, audit.code(), audit.out());
        Lab.Result status = kubeha(120, "status", "-f", answers.toString());
        assertEquals(0, status.code(), status.out());
        List<String> answered = Files.readAllLines(probes);
        assertTrue(answered.size() > 20, "too few probes: " + answered.size());
        List<String> failed = new ArrayList<>(answered.stream().filter(l -> !l.equals("200")).toList());
        System.out.println("renewal: " + failed.size() + " of " + answered.size() + " probes through the VIP failed");
        assertEquals(List.of(), failed, failed.size() + " of " + answered.size()
                + " probes through the VIP failed during the renewal");
    }

    @Test
    @Order(5)
    void everyMembersSnapshotTimerKeepsTheNewestSnapshotsAndStatusShowsThem() {
        String dir = "/var/lib/kubeha/etcd-snapshots";
        for (String member : ETCD) {
            Lab.Result timer = Lab.onNode(member, "systemctl is-enabled kubeha-etcd-snapshot.timer"
                    + " && systemctl is-active kubeha-etcd-snapshot.timer");
            assertEquals(0, timer.code(), member + ": " + timer.out());
        }
        String etcd1 = ETCD.get(0);
        Lab.Result run = Lab.onNode(etcd1, "install -d -m 0700 " + dir + " && touch " + dir
                + "/etcd-20200101T000000Z.db " + dir + "/etcd-20200102T000000Z.db"
                + " && systemctl start kubeha-etcd-snapshot.service && stat -c '%a' " + dir + " && ls -1 " + dir);
        assertEquals(0, run.code(), run.out());
        List<String> lines = run.out().strip().lines().toList();
        assertEquals("700", lines.get(0), run.out());
        assertEquals(2, lines.size() - 1, "the newest two are kept: " + run.out());
        assertEquals("etcd-20200102T000000Z.db", lines.get(1), run.out());
        Lab.Result status = kubeha(120, "status", "-f", answers.toString());
        assertEquals(0, status.code(), status.out());
        assertTrue(status.out().contains("etcd1 local snapshots: last 20"), status.out());
        assertTrue(status.out().contains("etcd2 local snapshots: none yet, next 20"), status.out());
        Lab.Result json = kubeha(120, "status", "-f", answers.toString(), "--output", "json");
        assertTrue(json.out().contains("\"localSnapshots\":[{\"member\":\"etcd1\",\"lastAt\":\"20"), json.out());

        Lab.Result backup = kubeha(300, "backup", "-f", answers.toString());
        assertEquals(0, backup.code(), backup.out());
        assertEquals(0, Lab.onNode(etcd1, "test ! -e /var/lib/kubeha/backups/kubeha-etcdctl-key.pem").code(),
                "kubeha's etcdctl key does not stay on the member");
    }

    static Instant enddate(String host, String file) {
        Lab.Result r = Lab.onNode(host, "openssl x509 -enddate -noout -in " + file);
        assertEquals(0, r.code(), r.out());
        String date = r.out().strip().replaceFirst("^notAfter=", "").replaceAll(" +", " ");
        return ZonedDateTime.parse(date, DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy z", Locale.ROOT)
                .withZone(ZoneOffset.UTC)).toInstant();
    }
}
