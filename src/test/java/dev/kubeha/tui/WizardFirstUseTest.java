package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.table.Table;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.Role;
import dev.kubeha.state.StateHome;
import dev.kubeha.tui.probe.HostKeyTrust;
import dev.kubeha.tui.probe.LiveProbes;
import dev.kubeha.tui.probe.ProbeReport;
import dev.kubeha.tui.probe.ProbeRunner;
import dev.kubeha.tui.probe.VipProbe;
import dev.kubeha.validate.Problem;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a first-time user meets in the full-screen wizard (issue 12), in the virtual terminal; loopback only. */
class WizardFirstUseTest {
    @TempDir
    Path state;

    static Draft loopbackHosts(int count) {
        Draft draft = Draft.defaults();
        for (int i = 1; i <= count; i++) {
            Draft.HostDraft h = new Draft.HostDraft();
            h.name = "node" + i;
            h.address = "127.0.0." + (10 + i);
            h.toggle(Role.CONTROL_PLANE);
            h.toggle(Role.ETCD);
            h.toggle(Role.LOAD_BALANCER);
            draft.hosts.add(h);
        }
        draft.vip = "127.0.0.100";
        return draft;
    }

    static String await(VirtualWizard w, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String text = w.text();
        while (!condition.test(text) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            text = w.text();
        }
        return text;
    }

    private static LiveProbes vipOnly(ProbeRunner.Probe<VipProbe.Target, VipProbe.Answer> vip) {
        return new LiveProbes((target, progress) -> ProbeReport.failed(ProbeReport.Outcome.UNREACHABLE,
                "connection refused"), vip, new HostKeyTrust());
    }

    @Test
    void aVipCheckThatCouldNotRunIsNeitherFreeNorInUse() throws Exception {
        LiveProbes crashing = vipOnly((target, progress) -> {
            throw new IllegalStateException("no raw socket");
        });
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(2), Optional.of(crashing), state)) {
            w.wizard.show(3);
            String text = await(w, t -> t.contains("VIP check: ") && !t.contains("checking whether"));
            assertTrue(text.contains("could not check whether 127.0.0.100 is free (no raw socket)"), text);
            assertFalse(text.contains("in use"), text);
        }
        LiveProbes noRoute = vipOnly(new VipProbe(a -> false, Duration.ofSeconds(1), (socket, address, timeout) -> {
            throw new NoRouteToHostException("No route to host");
        }));
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(2), Optional.of(noRoute), state)) {
            w.wizard.show(3);
            String text = await(w, t -> t.contains("VIP check: ") && !t.contains("checking whether"));
            assertTrue(text.contains("could not check whether 127.0.0.100 is free (no route to host)"), text);
            assertFalse(text.contains("free: nothing answers"), text);
        }
    }

    @Test
    void theStatusLineHintsTheKeysOfTheFocusedInputsKind() {
        assertEquals("Enter opens the choices; Up/Down and Enter pick one",
                Wizard.hint(new ComboBox<>(List.of("a", "b"))));
        assertEquals("Space toggles it", Wizard.hint(new CheckBox("x")));
        assertEquals("Enter edits the row, Del deletes it, c/w/e/l toggle roles, t its host key",
                Wizard.hint(new Table<String>("name")));
        assertEquals("Up/Down choose a line, Enter uses it", Wizard.hint(new ActionListBox()));
        assertEquals("Ctrl-U clears the field, Ctrl-W deletes a word", Wizard.hint(new TextBox()));
        assertEquals("", Wizard.hint(new Button("Next")));
        assertEquals("", Wizard.hint(null));
    }

    @Test
    void enterOnASupportedMinorFillsAFullVersion() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(1), Optional.empty(), state)) {
            w.keys(new KeyStroke(KeyType.Tab));
            for (int i = 0; i < 3; i++) {
                w.keys(new KeyStroke(KeyType.ArrowDown));
            }
            w.keys(new KeyStroke(KeyType.Enter));
            assertEquals("1.35.", w.wizard.draft().kubernetesVersion, w.text());
            w.keys(new KeyStroke(KeyType.ReverseTab), new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.Enter));
            assertEquals("1.36.3", w.wizard.draft().kubernetesVersion, w.text());
            String text = w.text();
            assertTrue(text.contains("Enter: 1.36 fills 1.36.3, the newest patch kubeha"), text);
        }
    }

    static KeyStroke ctrl(char c) {
        return new KeyStroke(c, true, false);
    }

    @Test
    void textFieldsEditAsAShellLine() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(1), Optional.empty(), state)) {
            w.keys(ctrl('a'));
            w.type("my-");
            assertEquals("my-kubernetes", w.wizard.draft().clusterName);
            w.keys(ctrl('e'));
            w.type(" two");
            assertEquals("my-kubernetes two", w.wizard.draft().clusterName);
            w.keys(ctrl('w'));
            assertEquals("my-kubernetes ", w.wizard.draft().clusterName);
            w.keys(ctrl('u'));
            assertEquals("", w.wizard.draft().clusterName);
            w.type("demo");
            assertEquals("demo", w.wizard.draft().clusterName);
        }
    }

    @Test
    void saveAsClosesOnEscCtrlCAndF10AndSavesOnEnter() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(1), Optional.empty(), state)) {
            for (KeyStroke close : List.of(new KeyStroke(KeyType.Escape), ctrl('c'), new KeyStroke(KeyType.F10))) {
                w.keys(new KeyStroke(KeyType.F3));
                assertTrue(w.text().contains("Path of the answers file:"), w.text());
                w.keys(close);
                String text = w.text();
                assertFalse(text.contains("Path of the answers file:"), close + "\n" + text);
                assertTrue(w.wizard.window().getTextGUI() != null, "the wizard is still open after " + close);
                assertEquals(0, w.wizard.current());
            }
            Path target = state.resolve("chosen.yaml");
            w.keys(new KeyStroke(KeyType.F3), ctrl('u'));
            w.type(target.toString());
            w.keys(new KeyStroke(KeyType.Enter));
            assertTrue(Files.isRegularFile(target), w.text());
            assertTrue(w.text().contains("Saved the answers"), w.text());
        }
    }

    @Test
    void quittingWithUnsavedChangesAsksFirst() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(1), Optional.empty(), state)) {
            w.keys(new KeyStroke(KeyType.F10));
            assertTrue(w.wizard.window().getTextGUI() == null, "nothing changed: F10 quits at once\n" + w.text());
        }
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(1), Optional.empty(), state)) {
            w.type("x");
            for (KeyStroke quit : List.of(new KeyStroke(KeyType.F10), ctrl('c'))) {
                w.keys(quit);
                String text = w.text();
                assertTrue(text.contains("not saved to"), text);
                assertTrue(w.wizard.window().getTextGUI() != null, "asked, not quit: " + quit);
                w.keys(ctrl('c'));
                assertFalse(w.text().contains("not saved to"), "Ctrl-C closes the question\n" + w.text());
            }
            w.keys(new KeyStroke(KeyType.F10), new KeyStroke(KeyType.ArrowRight), new KeyStroke(KeyType.ArrowRight),
                    new KeyStroke(KeyType.Enter));
            assertTrue(w.wizard.window().getTextGUI() == null, w.text());
            assertTrue(w.wizard.quitUnsaved());
            assertEquals(Optional.of(state.resolve("kubernetesx").resolve(StateHome.AUTOSAVE)),
                    w.wizard.lastAutosave());
        }
    }

    @Test
    void anAutosaveIsOfferedBackAndStartingFreshKeepsIt() throws Exception {
        StateHome home = new StateHome(state);
        assertEquals(Optional.empty(), Resume.find(home, Optional.empty(), Draft.defaults()));
        Draft typed = loopbackHosts(2);
        typed.clusterName = "demo";
        Path file = new Autosave(home).autosave(typed);
        Resume.Offer offer = Resume.find(home, Optional.empty(), Draft.defaults()).orElseThrow();
        assertEquals(file, offer.file());
        assertEquals(typed.toSpec(), offer.spec());
        Path answers = state.resolve("answers.yaml");
        Autosave.saveAs(answers, Draft.defaults());
        Files.setLastModifiedTime(answers, FileTime.fromMillis(
                Files.getLastModifiedTime(file).toMillis() + 10_000));
        Draft fromFile = Draft.defaults();
        fromFile.clusterName = "demo";
        assertEquals(Optional.empty(), Resume.find(home, Optional.of(answers), fromFile),
                "an answers file newer than the autosave is not overridden");
        try (VirtualWizard w = new VirtualWizard(80, 24, Draft.defaults(), Optional.empty(), state)) {
            List<String> chosen = new ArrayList<>();
            Resume.ask(w.gui, new Palette(false), offer, () -> chosen.add("resume"), () -> chosen.add("fresh"));
            String text = w.text();
            assertTrue(text.contains("cluster demo, 2 hosts, VIP 127.0.0.100"), text);
            w.keys(new KeyStroke(KeyType.Enter));
            assertEquals(List.of("resume"), chosen);
            Resume.ask(w.gui, new Palette(false), offer, () -> chosen.add("resume"), () -> chosen.add("fresh"));
            w.keys(new KeyStroke(KeyType.Tab));
            String second = w.text();
            w.keys(new KeyStroke(KeyType.Enter));
            assertEquals(List.of("resume", "fresh"), chosen, second);
            assertFalse(Files.exists(file));
            assertTrue(Files.isRegularFile(file.resolveSibling(previousAutosave())));
        }
    }

    @Test
    void withAnAnswersFileItsClustersNewerAutosaveIsOfferedOnlyWhenItDiffers() throws Exception {
        StateHome home = new StateHome(state);
        Path answers = state.resolve("answers.yaml");
        Draft fromFile = Draft.defaults();
        fromFile.clusterName = "demo";
        Autosave.saveAs(answers, fromFile);
        Files.setLastModifiedTime(answers, FileTime.fromMillis(0));
        Path file = new Autosave(home).autosave(fromFile);
        assertEquals(Optional.empty(), Resume.find(home, Optional.of(answers), fromFile), "the same answers");
        Draft typed = loopbackHosts(1);
        typed.clusterName = "demo";
        assertEquals(file, new Autosave(home).autosave(typed));
        assertEquals(typed.toSpec(), Resume.find(home, Optional.of(answers), fromFile).orElseThrow().spec());
    }

    @Test
    void anAutosaveOfTheDefaultsIsNotOffered() throws Exception {
        StateHome home = new StateHome(state);
        new Autosave(home).autosave(Draft.defaults());
        assertEquals(Optional.empty(), Resume.find(home, Optional.empty(), Draft.defaults()));
    }

    private static String previousAutosave() {
        return StateHome.AUTOSAVE + Resume.PREVIOUS;
    }

    private static List<String> names(VirtualWizard w) {
        return w.wizard.draft().hosts.stream().map(h -> h.name).toList();
    }

    @Test
    void deleteActsOnTheEditedHostAsksAndCanBeUndone() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(4), Optional.empty(), state)) {
            w.wizard.show(2);
            w.keys(new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.Enter));
            assertTrue(w.text().contains("Host 2 of 4"), w.text());
            w.keys(new KeyStroke(KeyType.ArrowUp), new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Tab),
                    new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Enter));
            String asked = w.text();
            assertTrue(asked.contains("Delete Host 2 (node2)?"), asked);
            w.keys(new KeyStroke(KeyType.Enter));
            assertEquals(List.of("node1", "node2", "node3", "node4"), names(w), "Cancel has the focus");
            w.keys(new KeyStroke(KeyType.Enter), new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Enter));
            assertEquals(List.of("node1", "node3", "node4"), names(w));
            w.keys(ctrl('z'));
            assertEquals(List.of("node1", "node2", "node3", "node4"), names(w));
            w.keys(new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.Delete));
            assertTrue(w.text().contains("Delete Host 3 (node3)?"), w.text());
            w.keys(new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Enter));
            assertEquals(List.of("node1", "node2", "node4"), names(w));
            w.keys(new KeyStroke(KeyType.PageDown), new KeyStroke(KeyType.PageUp));
            w.keys(ctrl('z'));
            assertEquals(List.of("node1", "node2", "node4"), names(w), "a step change ends the undo");
        }
    }

    private static int column(String text, String lineStart, String value) {
        return text.lines().filter(l -> l.startsWith(lineStart)).findFirst().map(l -> l.indexOf(value)).orElse(-1);
    }

    @Test
    void theLabelColumnHasOneWidthOnEveryScreenWithOrWithoutMessages() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(2), Optional.empty(), state)) {
            w.wizard.show(4);
            assertEquals(20, column(w.text(), " Pod subnet", "10.244.0.0/16"), w.text());
            w.wizard.show(1);
            assertEquals(20, column(w.text(), " User", "root"), w.text());
            w.wizard.show(3);
            assertEquals(20, column(w.text(), " Virtual IP", "127.0.0.100"), w.text());
            w.type("x");
            assertTrue(w.text().contains("✗"), w.text());
            assertEquals(20, column(w.text(), " Virtual IP", "127.0.0.100x"), w.text());
            w.wizard.show(2);
            w.keys(new KeyStroke(KeyType.Enter));
            assertEquals(20, column(w.text(), " Name", "node1"), w.text());
        }
    }

    @Test
    void aLongMessageWrapsInTheStatusAreaAndF1ShowsItWhole() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(2), Optional.empty(), state)) {
            w.wizard.show(2);
            String text = w.text();
            assertTrue(text.contains("127.0.0.11 cannot be a node address (loopback,\nwildcard or multicast)"), text);
            w.keys(new KeyStroke('?', false, false));
            text = w.text();
            assertTrue(text.contains("Ctrl-U/Ctrl-W delete line/word"), text);
            assertTrue(text.contains("Space toggles the focused role"), text);
            w.keys(new KeyStroke(KeyType.Escape));
            w.keys(new KeyStroke(KeyType.Insert));
            w.type("?");
            assertEquals("?", w.wizard.draft().hosts.get(2).name, "? types itself into a text field");
            w.keys(new KeyStroke(KeyType.F1));
            assertTrue(w.text().contains("Ctrl-A/Ctrl-E start/end"), w.text());
        }
    }

    @Test
    void theHostsTableShowsFourRowsAt80x24AndKeepsTheSelectedRowVisibleOnResize() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 40, loopbackHosts(6), Optional.empty(), state)) {
            w.wizard.show(2);
            for (int i = 0; i < 5; i++) {
                w.keys(new KeyStroke(KeyType.ArrowDown));
            }
            w.terminal.setTerminalSize(new TerminalSize(80, 24));
            String small = w.text();
            assertTrue(small.contains("6  node6"), small);
            assertTrue(small.contains("3  node3"), "four rows show at 80x24\n" + small);
            w.terminal.setTerminalSize(new TerminalSize(80, 40));
            String large = w.text();
            assertTrue(large.contains("1  node1") && large.contains("6  node6"), large);
            w.terminal.setTerminalSize(new TerminalSize(70, 20));
            assertTrue(w.text().contains("the terminal is 70x20; the wizard needs at least 80x24"), w.text());
        }
    }

    @Test
    void messagesNumberHostsAsTheScreenDoes() throws Exception {
        Draft draft = loopbackHosts(3);
        for (Draft.HostDraft h : draft.hosts) {
            h.address = "192.0.2.11";
        }
        draft.vip = "192.0.2.100";
        try (VirtualWizard w = new VirtualWizard(80, 24, draft, Optional.empty(), state)) {
            w.wizard.show(7);
            String text = w.text();
            assertTrue(text.contains("✗ Host 2 (node2) address: 192.0.2.11 is already the address of Host 1"), text);
            assertFalse(text.contains("hosts["), text);
            w.keys(new KeyStroke(KeyType.Enter));
            text = w.text();
            assertTrue(text.contains("✗ Host 2 (node2) address: 192.0.2.11 is already the address of Host 1"), text);
            assertFalse(text.contains("hosts["), text);
        }
    }

    @Test
    void aVipOutsideEveryTypedLoadBalancerSubnetIsWarnedAtOnce() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(2), Optional.empty(), state)) {
            w.wizard.show(3);
            assertFalse(w.text().contains("is not in the /24"), w.text());
            w.keys(ctrl('u'));
            w.type("127.0.1.100");
            String text = w.text();
            assertTrue(text.contains("! 127.0.1.100 is not in the /24 of any load-balancer host address"), text);
            assertTrue(text.contains("127.0.0.12); keepalived holds it only on a subnet their interface carries"), text);
        }
    }

    @Test
    void filesTheInstallReadsAreCheckedAsTheyAreTyped() throws Exception {
        Draft draft = loopbackHosts(3);
        draft.hosts.get(0).toggle(Role.ETCD);
        Path key = Files.writeString(state.resolve("id_ed25519"), "key");
        Path archive = state.resolve("etcd-v3.6.9-linux-amd64.tar.gz");
        draft.identityFile = key.toString();
        draft.flannelManifest = state.resolve("kube-flannel.yml").toString();
        draft.hosts.get(1).identityFile = state.toString();
        try (VirtualWizard w = new VirtualWizard(80, 24, draft, Optional.empty(), state)) {
            List<Problem> problems = draft.check(VirtualWizard.TODAY).problems();
            assertTrue(problems.stream().anyMatch(p -> p.path().equals("network.flannelManifest") && p.isError()
                    && p.message().endsWith("kube-flannel.yml does not exist on this jump host")), problems.toString());
            assertTrue(problems.stream().anyMatch(p -> p.path().equals("hosts[1].identityFile")
                    && p.message().endsWith("is not a file")), problems.toString());
            assertFalse(problems.stream().anyMatch(p -> p.path().equals("ssh.identityFile")), problems.toString());
            w.wizard.show(5);
            w.keys(new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Tab));
            w.type(archive.toString());
            assertTrue(w.text().replaceAll("\\s+", " ").contains("does not exist on this jump host"), w.text());
            Files.writeString(archive, "tar");
            w.type(" ");
            w.keys(new KeyStroke(KeyType.Backspace));
            assertFalse(w.text().replaceAll("\\s+", " ").contains("does not exist on this jump host"), w.text());
            w.wizard.show(7);
            assertTrue(w.text().contains("✗ network.flannelManifest: " + state), w.text());
        }
    }

    @Test
    void reviewSummarisesTheClusterAndEachHostsLiveStateBeforeTheProblems() throws Exception {
        LiveProbes refused = vipOnly((target, progress) -> new VipProbe.Answer(List.of()));
        try (VirtualWizard w = new VirtualWizard(80, 24, loopbackHosts(3), Optional.of(refused), state)) {
            w.wizard.show(7);
            String text = await(w, t -> t.lines().filter(l -> l.startsWith("Host ") && l.contains("connection refused"))
                    .count() == 3);
            assertTrue(text.contains("API: 127.0.0.100:16443, held by node1, then node2, then node3"), text);
            assertTrue(text.contains("Network: pods 10.244.0.0/16, services 10.96.0.0/12"), text);
            assertTrue(text.contains("etcd: 3 members (node1, node2, node3), 3.6.9 from archive"), text);
            assertTrue(text.contains("Host 3 node3"), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("Host 1 node1") && l.contains("connection refused")),
                    text);
            assertTrue(text.indexOf("Host 3 node3") < text.indexOf("✗ Host 1 (node1) address"), text);
        }
    }

    /** Three hosts at documentation addresses, never contacted: the tests give the wizard probes that only answer. */
    private static Draft documentationHosts() {
        Draft draft = loopbackHosts(3);
        for (int i = 0; i < 3; i++) {
            Draft.HostDraft h = draft.hosts.get(i);
            h.address = "192.0.2." + (11 + i);
            h.toggle(Role.ETCD);
            h.toggle(Role.WORKER);
        }
        draft.vip = "192.0.2.100";
        return draft;
    }

    private static void pressInstall(VirtualWizard w) throws IOException {
        w.wizard.show(7);
        assertTrue(w.text().contains("No problems"), w.text());
        w.keys(new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Enter));
    }

    @Test
    void installShowsPreflightFailuresInTheFullScreenWithTheWayToTheField() throws Exception {
        LiveProbes unreachable = new LiveProbes((target, progress) -> ProbeReport.failed(
                ProbeReport.Outcome.UNREACHABLE, "network is unreachable"),
                (target, progress) -> new VipProbe.Answer(List.of()), new HostKeyTrust());
        try (VirtualWizard w = new VirtualWizard(80, 24, documentationHosts(), Optional.of(unreachable), state)) {
            w.wizard.show(7);
            String reviewed = await(w, t -> t.lines().filter(l -> l.contains("network is unreachable")).count() == 3);
            assertTrue(reviewed.contains("Host 3 node3"), reviewed);
            pressInstall(w);
            String text = w.text();
            assertTrue(text.contains("Install cannot start"), text);
            assertTrue(text.contains("Host 1 (node1) 192.0.2.11: network is unreachable"), text);
            assertFalse(text.contains("handshake"), text);
            w.keys(new KeyStroke(KeyType.Enter));
            assertEquals(2, w.wizard.current());
            w.type("9");
            assertEquals("192.0.2.119", w.wizard.draft().hosts.get(0).address, "the focus is on the address");
            assertTrue(w.wizard.window().getTextGUI() != null);
            assertEquals(Optional.empty(), w.wizard.installRequested());
            assertFalse(Files.exists(state.resolve("answers.yaml")));
            assertFalse(Files.exists(state.resolve("kubernetes").resolve("pki")));
        }
    }

    @Test
    void installAsksFirstAndWritesNothingUntilConfirmed() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, documentationHosts(), Optional.empty(), state)) {
            pressInstall(w);
            String text = w.text();
            assertTrue(text.contains("Install Kubernetes 1.36.3 as cluster kubernetes"), text);
            assertTrue(text.contains("node3 192.0.2.13"), text);
            assertTrue(text.contains("This CHANGES THE HOSTS"), text);
            assertTrue(text.contains("Phases: os, "), text);
            w.keys(new KeyStroke(KeyType.Escape));
            assertFalse(Files.exists(state.resolve("answers.yaml")), "Esc cancels");
            assertEquals(Optional.empty(), w.wizard.installRequested());
            pressInstall(w);
            w.keys(new KeyStroke(KeyType.Enter));
            assertFalse(Files.exists(state.resolve("answers.yaml")), "Cancel has the focus");
            pressInstall(w);
            w.keys(new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Enter));
            assertEquals(Optional.of(state.resolve("answers.yaml").toAbsolutePath()), w.wizard.installRequested());
            assertTrue(w.wizard.window().getTextGUI() == null);
        }
    }

    @Test
    void theStatusAreaSaysWhatTheKeysDoOnTheFocusedInput() throws Exception {
        try (VirtualWizard w = new VirtualWizard(80, 24, documentationHosts(), Optional.empty(), state)) {
            w.wizard.show(4);
            w.keys(new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Tab));
            assertTrue(w.text().contains("Enter opens the choices; Up/Down and Enter pick one"), w.text());
            w.keys(new KeyStroke(KeyType.Enter), new KeyStroke(KeyType.ArrowUp), new KeyStroke(KeyType.Enter));
            assertEquals(ProxyMode.IPVS, w.wizard.draft().proxyMode);
            w.wizard.show(2);
            assertTrue(w.text().contains("Enter edits the row, Del deletes it"), w.text());
        }
    }
}
