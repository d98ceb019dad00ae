package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.LoadBalancerSpec;
import dev.kubeha.model.VrrpMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class KeepalivedTest {
    private final ClusterSpec spec = Guide.spec();

    @Test
    void guideWeightNeverFailsOver() {
        assertFalse(Keepalived.failsOver(List.of(100, 50), -2), "100 - 2 = 98 still beats 50");
    }

    @Test
    void renderedWeightExceedsEveryPriorityGap() {
        for (int hosts = 2; hosts <= 6; hosts++) {
            List<Integer> priorities = Keepalived.priorities(hosts);
            int weight = Keepalived.weight(priorities);
            int gap = priorities.get(0) - priorities.get(hosts - 1);
            assertTrue(-weight > gap, hosts + " hosts: |" + weight + "| > " + gap);
            assertTrue(Keepalived.failsOver(priorities, weight), hosts + " hosts");
        }
        assertEquals(11, Keepalived.worstCaseFailoverSeconds(), "hung haproxy: 2 checks, a hung one, master-down");
    }

    @Test
    void firstHostIsMasterAndPeersAreUnicast() {
        List<RenderedFile> files = Keepalived.render(spec, Guide.facts(spec), Guide.SECRETS);
        String worker1 = text(files, "worker1");
        String worker2 = text(files, "worker2");
        assertTrue(worker1.contains("state MASTER\n") && worker1.contains("priority 150\n"));
        assertTrue(worker2.contains("state BACKUP\n") && worker2.contains("priority 140\n"));
        assertTrue(worker1.contains("unicast_src_ip 10.0.8.6\n") && worker1.contains("        10.0.8.12\n"));
        assertTrue(worker1.contains("unicast_fault_no_peer"));
        assertTrue(worker1.contains("auth_pass Vr9pQ2wX\n"), "exactly the 8 characters keepalived uses");
    }

    @Test
    void haproxyExitingPutsTheHostInFaultAndNoProcessTrackingMovesPriorities() {
        String worker1 = text(Keepalived.render(spec, Guide.facts(spec), Guide.SECRETS), "worker1");
        assertFalse(worker1.contains("vrrp_track_process") || worker1.contains("track_process {"),
                "in a container keepalived counts a tracked haproxy as gone, lowering the priority by a weight that"
                + " differs between the old and new host count while a membership change reloads one host at a"
                + " time: the holder then tied with a peer and the VIP moved (LabMembershipTest, adding lb3)");
        assertTrue(worker1.contains("    track_script {\n        check_haproxy\n        haproxy_running\n    }\n"),
                "the script still catches a hung haproxy");
        assertTrue(worker1.contains("vrrp_script haproxy_running {\n    script \"/etc/keepalived/check_haproxy.sh"
                + " running\"\n    interval 1\n    timeout 3\n    fall 1\n    rise 2\n    weight 0\n}\n"),
                "a running check every second whose failure means FAULT: a priority-0 advert, no master-down wait");
        assertEquals(1, worker1.split("weight 0\n", -1).length - 1, "only the running check may cause FAULT");
        assertTrue(Keepalived.exitFailoverSeconds() + 1 <= 3, "VIP moved and answering within the 3 s target");
    }

    @Test
    void multicastAndExplicitInterface() {
        LoadBalancerSpec lb = spec.loadBalancer();
        ClusterSpec multicast = new ClusterSpec(spec.cluster(), spec.ssh(), spec.hosts(),
                new LoadBalancerSpec(lb.vip(), lb.port(), "bond0", lb.virtualRouterId(), VrrpMode.MULTICAST),
                spec.network(), spec.etcd(), spec.containerRuntime(), spec.addons());
        String worker1 = text(Keepalived.render(multicast, Guide.facts(spec), Guide.SECRETS), "worker1");
        assertFalse(worker1.contains("unicast"));
        assertTrue(worker1.contains("mcast_src_ip 10.0.8.6\n") && worker1.contains("interface bond0\n"));
    }

    @Tag("tools")
    @Test
    void keepalivedAcceptsTheRenderedConfig() throws Exception {
        Path root = Files.createTempDirectory(Path.of("target"), "keepalived");
        for (RenderedFile file : Keepalived.render(spec, Guide.facts(spec), Guide.SECRETS)) {
            if (file.host().equals("worker2")) {
                Tools.write(root, file);
            }
        }
        Path config = root.resolve("etc/keepalived/keepalived.conf").toAbsolutePath();
        Path script = root.resolve("etc/keepalived/check_haproxy.sh").toAbsolutePath();
        Files.writeString(config, Files.readString(config).replace(Keepalived.CHECK_SCRIPT, script.toString()));
        assertEquals("", Tools.keepalivedComplaints(config, "eth0"));
    }

    @Tag("tools")
    @Test
    void keepalivedWarningsAreDetected() throws Exception {
        Path root = Files.createTempDirectory(Path.of("target"), "keepalived-bad");
        Path config = root.resolve("keepalived.conf").toAbsolutePath();
        String good = text(Keepalived.render(spec, Guide.facts(spec), Guide.SECRETS), "worker1");
        Files.writeString(config, good.replace("advert_int 1", "advert_interval 1"));
        Tools.Result result = Tools.run(List.of("unshare", "--net", "sh", "-c",
                "ip link add eth0 type veth peer name kubeha-peer && ip link set eth0 up && keepalived -t -f "
                        + config));
        assertTrue(result.output().contains("Unknown keyword 'advert_interval'"), result.output());
    }

    private static String text(List<RenderedFile> files, String host) {
        return files.stream().filter(f -> f.host().equals(host) && f.path().equals(Keepalived.CONFIG)).findFirst()
                .orElseThrow().text();
    }
}
