package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.install.ClusterStatus;
import dev.kubeha.install.HostSurvey;
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

class ClusterPanesTest {
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void hostPanesShowServicesTheVipAndDaysLeftAndTheClusterPaneMarksTheEtcdLeader() {
        String status = "[{\"Endpoint\":\"https://172.21.16.6:2379\",\"Status\":{\"header\":{\"member_id\":7,"
                + "\"revision\":3},\"version\":\"3.6.5\",\"dbSize\":1,\"leader\":7}}]";
        Map<String, Optional<HostSurvey.Report>> hosts = new LinkedHashMap<>();
        hosts.put("worker1", Optional.of(HostSurvey.parse("worker1", "service\thaproxy\tactive\tenabled\n"
                + "service\tkubelet\tinactive\tenabled\nvip\tyes\n", List.of())));
        hosts.put("ceph2", Optional.of(HostSurvey.parse("ceph2", "cert\tetcd-server\t"
                + NOW.plus(Duration.ofDays(12)).getEpochSecond() + "\netcd-status\t"
                + Base64.getEncoder().encodeToString(status.getBytes(StandardCharsets.UTF_8)) + "\n", List.of())));
        hosts.put("ceph3", Optional.empty());
        ClusterStatus cluster = new ClusterStatus(GuideSpecs.guide(), NOW, hosts, Map.of("ceph3", "timed out"),
                "answered 200 ok", true, List.of(), Optional.empty());

        assertEquals(List.of("haproxy: ok", "kubelet: inactive, enabled", "holds the VIP"),
                ClusterPanes.host(cluster, "worker1"));
        assertEquals(List.of("   12d ! etcd-server"), ClusterPanes.host(cluster, "ceph2"));
        assertEquals(List.of("unreachable: timed out"), ClusterPanes.host(cluster, "ceph3"));
        List<String> pane = ClusterPanes.cluster(cluster);
        assertEquals("VIP 10.0.8.100: worker1, /healthz ok", pane.get(0));
        assertTrue(pane.get(1).startsWith("etcd: ceph2* DOWN"), pane.get(1));
    }
}
