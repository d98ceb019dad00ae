package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Json;
import dev.kubeha.model.Role;
import dev.kubeha.pki.CertificateExpiry;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.testing.GuideSpecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterStatusTest {
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    final ClusterSpec spec = GuideSpecs.guide();
    final long farAway = NOW.plus(Duration.ofDays(300)).getEpochSecond();

    static String blob(String tag, String text) {
        return tag + "\t" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\n";
    }

    String services(String... units) {
        StringBuilder s = new StringBuilder();
        for (String unit : units) {
            s.append("service\t").append(unit).append("\tactive\tenabled\n");
        }
        return s.toString();
    }

    String etcdMember(boolean lead, long expiry) {
        String out = services("etcd") + "cert\tetcd-ca\t" + NOW.plus(Duration.ofDays(3000)).getEpochSecond() + "\n"
                + "cert\tetcd-server\t" + expiry + "\ncert\tetcd-peer\t" + farAway + "\n";
        if (lead) {
            out += blob("etcd-status", "[{\"Endpoint\":\"https://172.21.16.14:2379\",\"Status\":{\"header\":"
                    + "{\"member_id\":11,\"revision\":42},\"version\":\"3.6.5\",\"dbSize\":20480,\"leader\":11,"
                    + "\"isLearner\":false}},{\"Endpoint\":\"https://172.21.16.6:2379\",\"Status\":{\"header\":"
                    + "{\"member_id\":12,\"revision\":42},\"version\":\"3.6.5\",\"dbSize\":20480,\"leader\":11}},"
                    + "{\"Endpoint\":\"https://172.21.16.13:2379\",\"Status\":{\"header\":{\"member_id\":"
                    + "18446744073709551615,\"revision\":42},\"version\":\"3.6.5\",\"dbSize\":20480,\"leader\":11}}]")
                    + blob("etcd-health", "[{\"endpoint\":\"https://172.21.16.14:2379\",\"health\":true},"
                    + "{\"endpoint\":\"https://172.21.16.6:2379\",\"health\":true},"
                    + "{\"endpoint\":\"https://172.21.16.13:2379\",\"health\":true}]")
                    + blob("etcd-alarms", "");
        }
        return out;
    }

    String controlPlane(boolean lead, boolean vip, String backendStatus) {
        String out = services("haproxy", "keepalived", "containerd", "kubelet") + "vip\t" + (vip ? "yes" : "no") + "\n"
                + blob("haproxy", "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,"
                + "wretr,wredis,status\nkube-apiserver,worker1,0,0,0,0,,0,0,0,,0,,0,0,0,0," + backendStatus + "\n"
                + "kube-apiserver,BACKEND,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP\n")
                + "cert\tetcd-ca\t" + NOW.plus(Duration.ofDays(3000)).getEpochSecond() + "\n"
                + "cert\tapiserver-etcd-client\t" + farAway + "\n"
                + blob("kubeadm", "{\"kind\":\"CertificateExpirationInfo\",\"certificates\":[{\"name\":\"apiserver\","
                + "\"expirationDate\":\"2027-11-30T00:00:00Z\",\"missing\":false},{\"name\":\"super-admin.conf\","
                + "\"missing\":true}],\"certificateAuthorities\":[{\"name\":\"ca\",\"expirationDate\":"
                + "\"2036-11-30T00:00:00Z\"}]}");
        if (lead) {
            out += blob("nodes", "worker1   Ready   control-plane   5m   v1.36.1\nworker2   Ready   control-plane"
                    + "   4m   v1.36.1\n")
                    + blob("pods", "coredns-1   1/1   Running   0   5m\nkube-proxy-x   0/1   CrashLoopBackOff   3   5m\n");
        }
        return out;
    }

    ClusterStatus status(long serverExpiry, String backendStatus, List<RenderedFile> ceph1Files, String ceph1Hash) {
        Map<String, Optional<HostSurvey.Report>> hosts = new LinkedHashMap<>();
        hosts.put("worker1", Optional.of(HostSurvey.parse("worker1", controlPlane(true, true, backendStatus),
                List.of())));
        hosts.put("worker2", Optional.of(HostSurvey.parse("worker2", controlPlane(false, false, "UP"), List.of())));
        hosts.put("ceph1", Optional.of(HostSurvey.parse("ceph1", etcdMember(true, serverExpiry)
                + "hash\t/etc/systemd/system/etcd.service\t" + ceph1Hash + "\n", ceph1Files)));
        hosts.put("ceph2", Optional.of(HostSurvey.parse("ceph2", etcdMember(false, farAway), List.of())));
        hosts.put("ceph3", Optional.empty());
        return new ClusterStatus(spec, NOW, hosts, Map.of("ceph3", "connection refused"),
                "https://10.0.8.100:16443/healthz answered 200 ok", true, List.of(), Optional.empty());
    }

    @Test
    void aHealthyPassNamesTheVipHolderTheEtcdLeaderAndEveryCertificate() {
        ClusterStatus status = status(farAway, "UP", List.of(), "");
        assertEquals(Optional.of("worker1"), status.vipHolder());
        List<ClusterStatus.EtcdMember> members = status.etcdMembers();
        assertEquals(3, members.size());
        assertTrue(members.get(0).leader());
        assertFalse(members.get(1).leader());
        assertEquals("18446744073709551615", members.get(2).id());
        assertEquals(42, members.get(0).revision());
        assertTrue(members.stream().allMatch(ClusterStatus.EtcdMember::healthy));
        assertEquals(List.of("kube-proxy-x CrashLoopBackOff"), status.podsNotRunning());
        assertTrue(status.certificates().stream().anyMatch(c -> c.name().equals("kubeadm:apiserver")
                && c.location().equals("worker2")));
        assertTrue(status.certificates().stream().anyMatch(c -> c.name().equals("kubeadm:ca") && c.ca()));
        assertTrue(status.certificates().stream().noneMatch(c -> c.name().contains("super-admin")));
        assertEquals(List.of("ceph3: unreachable: connection refused", "kube-system pod kube-proxy-x"
                + " CrashLoopBackOff"), status.problems());
        assertEquals(1, status.exitCode());
        String json = Json.write(status.toJson());
        assertTrue(json.startsWith("{\"schema\":\"kubeha.dev/status/v1\",\"cluster\":\"kubernetes\""), json);
        assertTrue(json.contains("\"holder\":\"worker1\""), json);
    }

    @Test
    void aCertificateExpiringWithinThirtyDaysADownBackendAndADriftedFileAreNamed() {
        RenderedFile unit = RenderedFile.text("ceph1", "/etc/systemd/system/etcd.service", 0644, "[Unit]\n");
        ClusterStatus status = status(NOW.plus(Duration.ofDays(12)).getEpochSecond(), "DOWN", List.of(unit),
                "0".repeat(64));
        List<CertificateExpiry> soon = status.expiringSoon();
        assertEquals(1, soon.size());
        assertEquals("etcd-server", soon.get(0).name());
        assertEquals("ceph1", soon.get(0).location());
        assertEquals(12, soon.get(0).daysLeft(NOW));
        assertTrue(status.problems().contains("worker1: haproxy backend worker1 is DOWN"), status.problems().toString());
        assertTrue(status.problems().contains("ceph1: /etc/systemd/system/etcd.service differs from what the answers"
                + " render"), status.problems().toString());
        ClusterStatus same = status(farAway, "UP", List.of(unit), HostSurvey.sha256("[Unit]\n".getBytes(
                StandardCharsets.UTF_8)));
        assertTrue(same.problems().stream().noneMatch(p -> p.contains("differs")), same.problems().toString());
    }

    @Test
    void eachMembersLocalSnapshotsShowTheNewestOneAndTheTimersNextRunInTextAndJson() {
        Map<String, Optional<HostSurvey.Report>> hosts = new LinkedHashMap<>();
        hosts.put("ceph1", Optional.of(HostSurvey.parse("ceph1", services("etcd", "kubeha-etcd-snapshot.timer")
                + blob("etcd-snapshots", "1764547200 20512\n@1764633600\n"), List.of())));
        hosts.put("ceph2", Optional.of(HostSurvey.parse("ceph2", blob("etcd-snapshots", "none\n\n"), List.of())));
        hosts.put("ceph3", Optional.of(HostSurvey.parse("ceph3", services("etcd"), List.of())));
        ClusterStatus status = new ClusterStatus(spec, NOW, hosts, Map.of(), "ok", true, List.of(),
                Optional.empty());
        assertEquals(List.of(new ClusterStatus.LocalSnapshots("ceph1", Optional.of(Instant.parse(
                "2025-12-01T00:00:00Z")), 20512, Optional.of(Instant.parse("2025-12-02T00:00:00Z"))),
                new ClusterStatus.LocalSnapshots("ceph2", Optional.empty(), 0, Optional.empty())),
                status.localSnapshots());
        String json = Json.write(status.toJson());
        assertTrue(json.contains("\"localSnapshots\":[{\"member\":\"ceph1\",\"lastAt\":\"2025-12-01T00:00:00Z\","
                + "\"lastSizeBytes\":20512,\"nextRunAt\":\"2025-12-02T00:00:00Z\"},{\"member\":\"ceph2\","
                + "\"lastAt\":null,\"lastSizeBytes\":null,\"nextRunAt\":null}]"), json);
    }

    @Test
    void theSurveyOfAMemberWithEtcdBackupAsksForTheTimerAndTheNewestSnapshot() {
        ClusterSpec withBackup = GuideSpecs.withBackup("daily", 3);
        var member = withBackup.hostsWith(Role.ETCD).get(0);
        assertEquals(List.of("etcd", "kubeha-etcd-snapshot.timer"), HostSurvey.services(withBackup, member));
        String script = HostSurvey.script(withBackup, member, List.of(), false, false);
        assertTrue(script.contains("ls -1 /var/lib/kubeha/etcd-snapshots/etcd-*.db 2>/dev/null | sort | tail -n1"),
                script);
        assertTrue(script.contains("n=$(TZ=UTC systemctl show kubeha-etcd-snapshot.timer -p NextElapseUSecRealtime"
                + " --value 2>/dev/null); if test -n \"$n\"; then date -d \"$n\" +@%s"), script);
        assertFalse(HostSurvey.script(spec, member, List.of(), false, false).contains("etcd-snapshots"));
    }
}
