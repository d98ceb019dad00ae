package dev.kubeha.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.answers.AnswersFile;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.Role;
import dev.kubeha.state.StateHome;
import dev.kubeha.tui.probe.HostKeyTrust;
import dev.kubeha.tui.probe.HostProbe;
import dev.kubeha.tui.probe.LiveProbes;
import dev.kubeha.tui.probe.LoopbackGreeter;
import dev.kubeha.tui.probe.SshBannerProbe;
import dev.kubeha.tui.probe.VipProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** Renders screens into Lanterna's virtual terminal and compares them with the snapshots in src/test/resources/tui. */
class WizardScreensTest {

    @TempDir
    Path state;

    private static Draft twoHosts() {
        Draft draft = Draft.defaults();
        Draft.HostDraft cp1 = new Draft.HostDraft();
        cp1.name = "cp1";
        cp1.address = "192.168.10.11";
        cp1.toggle(Role.CONTROL_PLANE);
        cp1.toggle(Role.LOAD_BALANCER);
        Draft.HostDraft cp2 = new Draft.HostDraft();
        cp2.name = "cp2";
        cp2.address = "192.168.10.300";
        cp2.toggle(Role.CONTROL_PLANE);
        cp2.toggle(Role.LOAD_BALANCER);
        draft.hosts.add(cp1);
        draft.hosts.add(cp2);
        draft.vip = "192.168.10.100";
        return draft;
    }

    private void assertSnapshot(String name, String text) throws IOException {
        InstallScreenTest.assertSnapshot(name, text.replace(state.toString(), "<state>"));
    }

    @ParameterizedTest
    @CsvSource({"80, 24", "160, 48"})
    void hostsScreenShowsTheBadAddressNextToItsHost(int columns, int rows) throws IOException {
        try (VirtualWizard w = new VirtualWizard(columns, rows, twoHosts(), Optional.empty(), state)) {
            w.wizard.show(2);
            w.keys(new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.Enter));
            String text = w.text();
            assertTrue(text.contains("cp2"), text);
            assertSnapshot("hosts-" + columns + "x" + rows + ".txt", text);
        }
    }

    @ParameterizedTest
    @CsvSource({"0, cluster", "1, ssh", "3, load-balancer", "4, network", "5, etcd", "6, addons", "7, review"})
    void everyScreenAt80x24(int index, String name) throws IOException {
        try (VirtualWizard w = new VirtualWizard(80, 24, twoHosts(), Optional.empty(), state)) {
            w.wizard.show(index);
            assertSnapshot(name + "-80x24.txt", w.text());
        }
    }

    @Test
    void etcdArchiveFieldsAreCheckedUnlessTheDistributionPackageIsChosen() throws IOException {
        Draft draft = twoHosts();
        draft.hosts.get(0).toggle(Role.ETCD);
        draft.etcdArchiveSha256 = "abc";
        try (VirtualWizard w = new VirtualWizard(80, 24, draft, Optional.empty(), state)) {
            w.wizard.show(5);
            assertSnapshot("etcd-external-80x24.txt", w.text());
            w.keys(new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Enter),
                    new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.Enter));
            assertEquals(EtcdInstall.PACKAGE, w.wizard.draft().etcdInstall);
            String text = w.text();
            assertTrue(!text.contains("✗"), text);
            w.keys(new KeyStroke(KeyType.Enter), new KeyStroke(KeyType.ArrowUp), new KeyStroke(KeyType.Enter),
                    new KeyStroke(KeyType.Tab));
            w.type("/srv/etcd-v3.6.9-linux-amd64.tar.gz");
            assertEquals("/srv/etcd-v3.6.9-linux-amd64.tar.gz", w.wizard.draft().etcdArchive);
            assertTrue(w.text().contains("✗ must be the archive's SHA-256"), w.text());
        }
    }

    @Test
    void theRuntimeInstallIsAskedBesideTheRuntimeCheckedAtOnceAndSavedInTheAnswers() throws IOException {
        try (VirtualWizard w = new VirtualWizard(80, 24, twoHosts(), Optional.empty(), state)) {
            w.wizard.show(0);
            assertTrue(w.text().contains(" Runtime install    auto "), w.text());
            for (int i = 0; i < 6; i++) {
                w.keys(new KeyStroke(KeyType.Tab));
            }
            w.keys(new KeyStroke(KeyType.Enter), new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.ArrowDown),
                    new KeyStroke(KeyType.Enter));
            assertEquals(RuntimeInstall.ARCHIVE, w.wizard.draft().containerRuntimeInstall);
            assertFalse(w.text().contains("! archive"), w.text());
            w.keys(new KeyStroke(KeyType.ReverseTab), new KeyStroke(KeyType.Enter), new KeyStroke(KeyType.ArrowDown),
                    new KeyStroke(KeyType.Enter));
            assertEquals(ContainerRuntime.DOCKER, w.wizard.draft().containerRuntime);
            assertTrue(w.text().matches(
                    "(?s).*\n Runtime install    archive +│▼ +! archive is containerd's release.*"), w.text());
            w.keys(new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Enter), new KeyStroke(KeyType.ArrowUp),
                    new KeyStroke(KeyType.Enter));
            assertEquals(RuntimeInstall.DISTRIBUTION, w.wizard.draft().containerRuntimeInstall);
            assertFalse(w.text().contains("! archive"), w.text());
            w.keys(new KeyStroke(KeyType.F2));
            String saved = Files.readString(state.resolve("answers.yaml"));
            assertTrue(saved.contains("\ncontainerRuntime: docker ") && saved.contains(
                    "\ncontainerRuntimeInstall: distribution   # " + RuntimeInstall.CHOICES + "\n"), saved);
            assertEquals(RuntimeInstall.DISTRIBUTION, AnswersFile.load(state.resolve("answers.yaml")).spec()
                    .orElseThrow().containerRuntimeInstall());
        }
    }

    @Test
    void typingIntoAFieldRechecksItAtOnce() throws IOException {
        try (VirtualWizard w = new VirtualWizard(80, 24, twoHosts(), Optional.empty(), state)) {
            w.wizard.show(3);
            w.keys(new KeyStroke(KeyType.Backspace), new KeyStroke(KeyType.Backspace));
            w.type("x");
            assertTrue(w.text().contains("✗ '192.168.10.1x' is not an IPv4"), w.text());
            assertTrue(w.text().contains("✗ loadBalancer.vip: '192.168.10.1x' is not an IPv4 or IPv6 address"));
            w.keys(new KeyStroke(KeyType.Backspace));
            w.type("99");
            assertEquals("192.168.10.199", w.wizard.draft().vip);
            assertTrue(!w.text().contains("✗"), w.text());
        }
    }

    @Test
    void enterOnAReviewLineJumpsToTheField() throws IOException {
        try (VirtualWizard w = new VirtualWizard(80, 24, twoHosts(), Optional.empty(), state)) {
            w.wizard.show(7);
            w.keys(new KeyStroke(KeyType.Enter));
            assertEquals(2, w.wizard.current());
            w.type("1");
            assertEquals("192.168.10.3001", w.wizard.draft().hosts.get(1).address);
        }
    }

    @Test
    void aScreenIsBuiltWhenFirstShownNotBefore() throws IOException {
        try (VirtualWizard w = new VirtualWizard(80, 24, twoHosts(), Optional.empty(), state)) {
            assertEquals(1, w.wizard.screensBuilt());
            assertTrue(w.text().contains("1 Cluster"), w.text());
            assertTrue(w.text().contains("8 Review"), w.text());
            w.keys(new KeyStroke(KeyType.PageDown));
            assertEquals(2, w.wizard.screensBuilt());
            w.keys(new KeyStroke(KeyType.PageUp));
            assertEquals(2, w.wizard.screensBuilt());
            w.wizard.show(7);
            assertEquals(3, w.wizard.screensBuilt());
            w.keys(new KeyStroke(KeyType.Enter));
            assertEquals(2, w.wizard.current());
            assertEquals(4, w.wizard.screensBuilt());
        }
    }

    /** jlink/build.sh leaves java.desktop's native libraries out of the image: nothing may load them. */
    @Test
    void noScreenLoadsTheAwtLibrariesTheImageLeavesOut() throws IOException {
        try (VirtualWizard w = new VirtualWizard(80, 24, twoHosts(), Optional.empty(), state)) {
            for (int i = 0; i < 7; i++) {
                w.wizard.show(i);
                w.text();
            }
            w.keys(new KeyStroke(KeyType.F2));
            assertTrue(w.text().contains("Saved the answers"), w.text());
        }
        String maps = Files.readString(Path.of("/proc/self/maps"));
        assertTrue(!maps.contains("/libawt"), "an AWT library is loaded:\n" + maps.lines()
                .filter(l -> l.contains("/libawt")).distinct().collect(Collectors.joining("\n")));
    }

    @Test
    void leavingAScreenAutosavesTheAnswers() throws IOException {
        try (VirtualWizard w = new VirtualWizard(80, 24, twoHosts(), Optional.empty(), state)) {
            w.keys(new KeyStroke(KeyType.PageDown));
            Path autosave = state.resolve("kubernetes").resolve(StateHome.AUTOSAVE);
            assertEquals(w.wizard.draft().toSpec(), AnswersFile.load(autosave).spec().orElseThrow());
            assertEquals("rwx------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(autosave.getParent())));
        }
    }

    @Test
    void theLiveCheckShowsTheBannerOfALoopbackSshServer() throws Exception {
        try (var server = new LoopbackGreeter("SSH-2.0-OpenSSH_9.6 kubeha-test\r\n", true)) {
            Draft draft = twoHosts();
            draft.hosts.remove(0);
            draft.hosts.get(0).address = "127.0.0.1";
            draft.hosts.get(0).port = Integer.toString(server.port());
            HostProbe probe = new SshBannerProbe(Duration.ofSeconds(2));
            LiveProbes live = new LiveProbes(probe, (vip, progress) -> new VipProbe.Answer(List.of()),
                    new HostKeyTrust());
            try (VirtualWizard w = new VirtualWizard(160, 30, draft, Optional.of(live), state)) {
                w.wizard.show(2);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                String text = w.text();
                while (!text.contains("SSH-2.0-OpenSSH_9.6") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    text = w.text();
                }
                assertTrue(text.contains("SSH-2.0-OpenSSH_9.6"), text);
                assertTrue(text.contains("cannot be a node address"), text);
            }
        }
    }
}
