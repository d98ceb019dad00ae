package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.kubeha.install.ClusterStatus;
import dev.kubeha.install.HostSurvey;
import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.UpgradePath;
import dev.kubeha.testing.GuideSpecs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Cluster screen's upgrade key on Lanterna's in-memory terminal: target asked, refusal shown, change confirmed. */
class ClusterUpgradeKeyTest {
    final ClusterSpec spec = withoutKubePrometheus(GuideSpecs.guide());
    final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(160, 45));

    @Test
    void theUpgradeKeyAsksForTheTargetExplainsARefusalAndRunsAfterTheOutlineIsConfirmed() throws Exception {
        List<UpgradePath> ran = Collections.synchronizedList(new ArrayList<>());
        TerminalScreen screen = new TerminalScreen(terminal);
        screen.startScreen();
        try {
            ClusterAction action = ClusterFlow.upgradeAction(spec, path -> () -> {
                ran.add(path);
                return 0;
            });
            CompletableFuture<Optional<ClusterAction.Chosen>> chosen = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> chosen.complete(new ClusterView(new MultiWindowTextGUI(screen),
                    spec, List.of(action), new Palette(false)).run(this::unreachable)));
            await("u upgrade Kubernetes   q quit");

            type("u");
            await("The cluster runs Kubernetes " + spec.cluster().kubernetesVersion() + ". Upgrade to");
            type("1.38.0");
            enter(2);
            String refused = await("kubeha does not support Kubernetes 1.38");
            assertTrue(refused.contains("upgrade Kubernetes: refused"), refused);
            assertTrue(refused.lines().anyMatch(l -> l.contains("kubeadm upgrades one minor at a time")
                    && !l.contains("1.38")), "one reason a line:\n" + refused);
            enter(1);

            type("u");
            await("Upgrade to (one minor at a time");
            type("1.37.1");
            enter(2);
            String outline = await("Upgrade now?");
            assertTrue(outline.contains("Kubernetes " + spec.cluster().kubernetesVersion() + " -> 1.37.1"), outline);
            assertTrue(outline.contains("etcd snapshot first: ceph1:/var/lib/kubeha/backups/pre-upgrade-"), outline);
            assertTrue(outline.contains("kubeadm upgrade apply v1.37.1 on "), outline);
            assertTrue(outline.contains("cluster.kubernetesVersion set to 1.37.1 in the answers file"), outline);
            assertEquals(List.of(), ran, "nothing runs before Yes");
            enter(1);

            ClusterAction.Chosen upgrade = chosen.get(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("upgrade Kubernetes", upgrade.label());
            assertEquals(0, upgrade.run().getAsInt());
            assertEquals("1.37.1", ran.get(0).to().toString());
        } finally {
            screen.stopScreen();
        }
    }

    static ClusterSpec withoutKubePrometheus(ClusterSpec s) {
        return new ClusterSpec(s.cluster(), s.ssh(), s.hosts(), s.loadBalancer(), s.network(), s.etcd(),
                s.containerRuntime(), new AddonsSpec(false, ""));
    }

    private ClusterStatus unreachable() {
        Map<String, Optional<HostSurvey.Report>> hosts = new LinkedHashMap<>();
        Map<String, String> why = new LinkedHashMap<>();
        for (HostSpec host : spec.hosts()) {
            hosts.put(host.name(), Optional.empty());
            why.put(host.name(), "not asked in this test");
        }
        return new ClusterStatus(spec, Instant.parse("2026-12-01T00:00:00Z"), hosts, why, "not asked", false,
                List.of(), Optional.empty());
    }

    private void type(String text) {
        for (char c : text.toCharArray()) {
            terminal.addInput(new KeyStroke(c, false, false));
        }
    }

    private void enter(int times) {
        for (int i = 0; i < times; i++) {
            terminal.addInput(new KeyStroke(KeyType.Enter));
        }
    }

    private String await(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            String before = screen;
            screen = VirtualWizard.text(terminal);
            if (screen.contains(text) && screen.equals(before)) {
                return screen;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' on the screen:\n" + screen);
    }
}
