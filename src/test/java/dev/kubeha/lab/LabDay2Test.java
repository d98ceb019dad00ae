package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.render.RenderedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 13 on one installed lab: a tampered snapshot stops nothing; write keys, back up, change and delete keys,
 * restore: the keys and revision are back; keepalived changed no state meanwhile; then the VIP (5 rounds), etcd and
 * control-plane drills meet their targets.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabDay2Test {
    static final String ETCD1 = "192.168.234.11";
    static final String CP1 = "192.168.233.11";
    static final String CP2 = "192.168.233.12";
    static final String ETCDCTL = "ETCDCTL_API=3 etcdctl --endpoints=https://192.168.234.11:2379"
            + " --cacert=/etc/etcd/ssl/ca.pem --cert=/etc/etcd/ssl/server.pem --key=/etc/etcd/ssl/server-key.pem ";

    static Path state;
    static Path answers;
    static String installedAt;

    @BeforeAll
    static void install() throws IOException {
        state = Lab.freshInstall("kubeha-backup-state");
        answers = state.resolve("answers.yaml");
        installedAt = Lab.onNode(CP1, "date +%s").out().trim();
    }

    @AfterAll
    static void takeDown() {
        Lab.down();
    }

    static String etcd(String args) {
        Lab.Result r = Lab.onNode(ETCD1, ETCDCTL + args);
        assertEquals(0, r.code(), args + ":\n" + r.out());
        return r.out().trim();
    }

    @Test
    @Order(2)
    void backupChangeRestoreBringsTheKeysAndRevisionBack() throws Exception {
        etcd("put /kubeha-test/a one");
        etcd("put /kubeha-test/b two");
        Path snapshot = state.resolve("snap.db");
        Lab.Result backup = Lab.kubeha(state, 300, "backup", "-f", answers.toString(), "-o", snapshot.toString());
        assertEquals(0, backup.code(), backup.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)));
        String record = Files.readString(state.resolve("snap.db.json"));
        Matcher rev = Pattern.compile("\"revision\":(\\d+)").matcher(record);
        assertTrue(rev.find(), record);
        long revision = Long.parseLong(rev.group(1));
        assertTrue(record.contains("\"sha256\":\"" + RenderedFile.sha256(Files.readAllBytes(snapshot))
                + "\""), record);

        etcd("put /kubeha-test/a changed");
        etcd("del /kubeha-test/b");
        etcd("put /kubeha-test/c new");

        Lab.Result restore = Lab.kubeha(state, 900, "restore", "-f", answers.toString(), "--from",
                snapshot.toString(), "--yes");
        assertEquals(0, restore.code(), restore.out());
        assertTrue(restore.out().contains("back at revision " + revision), restore.out());
        System.out.println("restore output:\n" + restore.out());

        assertEquals("one", etcd("get /kubeha-test/a --print-value-only"));
        assertEquals("two", etcd("get /kubeha-test/b --print-value-only"));
        assertEquals("", etcd("get /kubeha-test/c --print-value-only"));
        long now = Long.parseLong(etcd("endpoint status -w json").replaceAll("(?s).*\"revision\":(\\d+).*", "$1"));
        assertTrue(now >= revision, "revision " + now + " after the restore of " + revision);
        Lab.Result aside = Lab.onNode(ETCD1, "ls -d /var/lib/etcd.before-restore-*");
        assertEquals(0, aside.code(), aside.out());
        Lab.Result healthz = Lab.onNode(CP1, "kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw=/healthz");
        assertEquals(0, healthz.code(), healthz.out());
    }

    @Test
    @Order(1)
    void aSnapshotThatDoesNotMatchItsRecordStopsNothing() throws Exception {
        Path snapshot = state.resolve("tampered.db");
        Lab.Result backup = Lab.kubeha(state, 300, "backup", "-f", answers.toString(), "-o", snapshot.toString());
        assertEquals(0, backup.code(), backup.out());
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 1;
        Files.write(snapshot, bytes);
        Lab.Result restore = Lab.kubeha(state, 300, "restore", "-f", answers.toString(), "--from",
                snapshot.toString(), "--yes");
        assertEquals(1, restore.code(), restore.out());
        assertTrue(restore.out().contains("does not match its record"), restore.out());
        assertEquals(0, Lab.onNode(ETCD1, "systemctl is-active --quiet etcd").code());
        assertEquals(0, Lab.onNode(CP1, "test -e /etc/kubernetes/manifests/kube-apiserver.yaml").code());
    }

    @Test
    @Order(3)
    void keepalivedChangedNoStateFromTheInstallThroughBackupAndRestore() {
        for (String lb : new String[] {CP1, CP2}) {
            Lab.Result logged = Lab.onNode(lb, "journalctl -u keepalived -o cat | grep -c Entering");
            assertEquals(0, logged.code(), lb + " keepalived's journal shows its start: " + logged.out());
            Lab.Result transitions = Lab.onNode(lb, "log=$(journalctl -u keepalived -o cat --since @" + installedAt
                    + ") && { grep -E 'Entering|received lower priority' <<<\"$log\"; true; }");
            assertEquals(0, transitions.code(), transitions.out());
            assertEquals("", transitions.out().trim(), lb + " keepalived after the install");
        }
        assertEquals(0, Lab.onNode(CP1, "ip -o addr show | grep -qF ' 192.168.233.100/'").code(),
                "the VIP stayed on its MASTER");
    }

    @Test
    @Order(4)
    void theDrillsMeasureFailoverAgainstTheTargetsAndPutEverythingBack() throws Exception {
        Lab.Result drill = Lab.kubeha(state, 1200, "drill", "-f", answers.toString(), "--rounds", "5",
                "--output", "json");
        System.out.println("drill output:\n" + drill.out());
        Files.writeString(Path.of("target", "lab-drill.out"), drill.out());
        String json = drill.out().lines().filter(l -> l.startsWith("{\"ok\":")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no JSON report:\n" + drill.out()));
        Map<String, Object> report = new Yaml().load(json);
        assertEquals(Boolean.TRUE.equals(report.get("ok")) ? 0 : 1, drill.code(), "exit code follows the report");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) report.get("results");
        assertEquals(6, results.size(), json);
        for (Map<String, Object> row : results) {
            assertEquals(Boolean.TRUE, row.get("ok"), row.get("name") + ": " + json);
        }
        for (String lb : new String[] {CP1, CP2}) {
            assertEquals(0, Lab.onNode(lb, "systemctl is-active --quiet haproxy").code(), lb + " haproxy is back");
            assertEquals(0, Lab.onNode(lb, "test -e /etc/kubernetes/manifests/kube-apiserver.yaml").code(), lb);
        }
        assertEquals(0, Lab.onNode(CP1, "ip -o addr show | grep -qF ' 192.168.233.100/'").code(),
                "the VIP is back on its MASTER");
        for (String member : new String[] {"192.168.234.11", "192.168.234.12", "192.168.234.13"}) {
            assertEquals(0, Lab.onNode(member, "systemctl is-active --quiet etcd").code(), member);
        }
    }
}
