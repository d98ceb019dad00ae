package dev.kubeha.tui;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.Role;
import dev.kubeha.tui.probe.ProbeReport;
import dev.kubeha.tui.probe.ProbeReport.FactsOutput;
import dev.kubeha.tui.probe.ProbeReport.Outcome;
import dev.kubeha.tui.probe.ProbeStatus;
import dev.kubeha.tui.probe.ProbeTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A probed host's containerd too old for the minor is shown beside Runtime install too, as preflight words it. */
class ClusterScreenContainerdTest {
    private static final Instant BEFORE = Instant.ofEpochSecond(1_786_000_003L);

    private static String rocky8WithContainerd(String version) throws IOException {
        try (InputStream in = getResource("/dev/kubeha/facts/probe-rocky8.txt")) {
            String facts = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String line = "containerd=containerd containerd.io 1.7.27 05044ec0a9a75232cad458027ca83437aae3f4da";
            assertTrue(facts.contains(line), facts);
            return facts.replace(line, "containerd=containerd containerd.io " + version + " 0123abc");
        }
    }

    private static InputStream getResource(String name) {
        return ClusterScreenContainerdTest.class.getResourceAsStream(name);
    }

    private static Draft oneControlPlane() {
        Draft draft = Draft.defaults();
        Draft.HostDraft cp1 = new Draft.HostDraft();
        cp1.name = "cp1";
        cp1.address = "127.0.0.2";
        cp1.toggle(Role.CONTROL_PLANE);
        draft.hosts.add(cp1);
        draft.containerRuntimeInstall = RuntimeInstall.DISTRIBUTION;
        return draft;
    }

    private static LiveChecks.Result probedWith(ClusterSpec spec, String facts) {
        ProbeReport report = new ProbeReport(Outcome.PROBED, Duration.ofMillis(3), "SSH-2.0-OpenSSH_8.0", "",
                Optional.empty(), Optional.of(new FactsOutput(facts, "", BEFORE, BEFORE.plusMillis(500))));
        LiveChecks.Input input = new LiveChecks.Input(Optional.of(ProbeTarget.of(spec.hosts().get(0), spec,
                Path.of("/state"), Path.of("/home"))), Optional.of(new ProbeStatus.Done<>(report)));
        return LiveChecks.of(spec, List.of(input), true);
    }

    private static String runtimeInstallMessage(Draft draft, LiveChecks.Result checks) {
        ClusterScreen screen = new ClusterScreen(draft, new Palette(false), () -> { }, VirtualWizard.TODAY,
                () -> checks);
        screen.refresh(draft.check(VirtualWizard.TODAY), 200, 48);
        return screen.form.field("containerRuntimeInstall").orElseThrow().message().getText();
    }

    @Test
    void anOldContainerdIsShownBesideRuntimeInstallNamingItsHost() throws IOException {
        Draft draft = oneControlPlane();
        LiveChecks.Result checks = probedWith(draft.toSpec(), rocky8WithContainerd("1.6.14"));
        assertTrue(String.join("\n", checks.row(0).details()).contains("containerd 1.6.14 is installed"),
                checks.row(0).details().toString());
        String message = runtimeInstallMessage(draft, checks);
        assertTrue(message.startsWith(Layout.ERROR + "cp1: containerd 1.6.14 is installed; Kubernetes "), message);
    }

    @Test
    void aRecommendedContainerdOrNoProbeLeavesRuntimeInstallQuiet() throws IOException {
        Draft draft = oneControlPlane();
        assertEquals("", runtimeInstallMessage(draft, probedWith(draft.toSpec(), rocky8WithContainerd("2.3.4"))));
        assertEquals("", runtimeInstallMessage(draft, LiveChecks.Result.EMPTY));
    }
}
