package dev.kubeha.tui;

import dev.kubeha.state.StateHome;
import dev.kubeha.tui.probe.HostKeyTrust;
import dev.kubeha.tui.probe.LiveProbes;
import dev.kubeha.tui.probe.ProbeReport;
import dev.kubeha.tui.probe.VipProbe;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** Line mode fed through a pipe writes the same answers file as the wizard; bad answers are asked again. */
class LineModeTest {
    static final String ANSWERS = String.join("\n",
            "demo", "", "", "", "", "",
            "", "", "", "", "",
            "cp1", "192.168.10.11", "control-plane,worker,etcd,load-balancer",
            "cp2", "192.168.10.12", "control-plane worker etcd load-balancer",
            "cp3", "192.168.10.13", "control-plane,worker,etcd", "",
            "192.168.10.100", "", "", "", "",
            "", "", "", "", "", "", "",
            "", "", WizardInTmuxTest.ARCHIVE, "", "", "", "", "",
            "");

    @TempDir
    Path dir;

    /** The answers with an etcd archive that exists, as the wizard now checks. */
    private String answers() throws IOException {
        return ANSWERS.replace(WizardInTmuxTest.ARCHIVE, WizardInTmuxTest.archive(dir).toString());
    }

    private String expected() throws IOException {
        return WizardInTmuxTest.expected(dir);
    }

    @Test
    void aPipedSessionWritesTheSameFileAsTheWizard() throws Exception {
        Path out = dir.resolve("answers.yaml");
        Process process = new ProcessBuilder(KubehaProcess.command("--plain", "--no-probe", "--state-dir",
                dir.resolve("state").toString(), "--answers-out", out.toString()))
                .redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write((answers() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String transcript = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), transcript);
        assertEquals(expected(), Files.readString(out), transcript);
        assertTrue(transcript.contains("Host 1 address: 192.168.10.11"), transcript);
        assertTrue(transcript.contains("Runtime install; auto is containerd's release archive on Debian and Ubuntu,"
                + " the package elsewhere (auto, distribution, archive)"), transcript);
    }

    /** Line mode on piped answers that save to {@code out}; its transcript, after it exited 0. */
    private String savedAfter(String answers, Path out) throws Exception {
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        WizardSettings settings = new WizardSettings(VirtualWizard.TODAY, new Palette(false),
                new StateHome(dir.resolve("state")), Optional.of(out), Optional.empty());
        int code = Tui.plain(Draft.defaults(), settings,
                new ByteArrayInputStream((answers + "\n").getBytes(StandardCharsets.UTF_8)), transcript);
        String text = transcript.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    @Test
    void aBadAnswerIsAskedAgainWithTheValidatorsMessage() throws Exception {
        String archive = WizardInTmuxTest.archive(dir).toString();
        String answers = answers().replaceFirst("^demo\n\n\n\n\n", "demo\n\n\n\n\narchiv\n")
                .replaceFirst("192.168.10.11", "192.168.10.311\n192.168.10.11")
                .replaceFirst("control-plane,worker,etcd,load-balancer",
                        "control-plan\ncontrol-plane,worker,etcd,load-balancer")
                .replace(archive, "srv/etcd.tar.gz\n" + dir.resolve("missing.tar.gz") + "\n" + archive + "\nabc\n-");
        Path out = dir.resolve("answers.yaml");
        String text = savedAfter(answers, out);
        assertTrue(text.contains("✗ error: containerRuntimeInstall: 'archiv' is not one of auto, distribution,"
                + " archive; did you mean archive?"), text);
        assertTrue(text.contains("✗ error: hosts[0].address: '192.168.10.311' is not an IPv4 or IPv6 address"), text);
        assertTrue(text.contains("✗ error: hosts[0].roles[0]: unknown role 'control-plan'; did you mean control-plane?"),
                text);
        assertTrue(text.contains(
                "✗ error: etcd.archive: 'srv/etcd.tar.gz' must be an absolute path or start with ~/"), text);
        assertTrue(text.contains("✗ error: etcd.archive: " + dir.resolve("missing.tar.gz")
                + " does not exist on this jump host"), text);
        assertTrue(text.contains("✗ error: etcd.archiveSha256: must be the archive's SHA-256"), text);
        assertEquals(expected(), Files.readString(out));
    }

    @Test
    void inputThatEndsEarlyKeepsWhatWasTypedInTheAutosave() throws Exception {
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        WizardSettings settings = new WizardSettings(VirtualWizard.TODAY, new Palette(false),
                new StateHome(dir.resolve("state")), Optional.of(dir.resolve("answers.yaml")), Optional.empty());
        int code = Tui.plain(Draft.defaults(), settings,
                new ByteArrayInputStream("demo\n1.35.2\n".getBytes(StandardCharsets.UTF_8)), transcript);
        assertEquals(1, code);
        String autosave = Files.readString(dir.resolve("state/demo").resolve(StateHome.AUTOSAVE));
        assertTrue(autosave.contains("kubernetesVersion: \"1.35.2\""), autosave);
        Path history = dir.resolve("state/line-mode.history");
        assertTrue(Files.readString(history).contains("1.35.2"), "the history is kept in the state root");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(history)), "the history holds what was typed: private");
    }

    @Test
    void anHttpRepositoryAsksForItsSigningKeysFingerprintUntilOneIsGiven() throws Exception {
        String answers = answers().replaceFirst("^demo\n\n\n\n\n",
                "demo\n\n\nhttp://192.168.10.1:8080\n\n770A5A11914AE2052F38DF29B9D5FECE9CBA154E\n\n");
        Path out = dir.resolve("answers.yaml");
        String text = savedAfter(answers, out);
        assertTrue(text.contains("error: cluster.packageRepositoryKeyFingerprint: is required for an http://"
                + " repository"), text);
        assertTrue(Files.readString(out).contains(
                "packageRepositoryKeyFingerprint: 770A5A11914AE2052F38DF29B9D5FECE9CBA154E"), Files.readString(out));
    }

    private String plain(String input, Optional<LiveProbes> probes, int expectedCode) throws Exception {
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        WizardSettings settings = new WizardSettings(VirtualWizard.TODAY, new Palette(false),
                new StateHome(dir.resolve("state")), Optional.of(dir.resolve("answers.yaml")), probes);
        int code = Tui.plain(Draft.defaults(), settings,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), transcript);
        String text = transcript.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, text);
        return text;
    }

    @Test
    void aRejectedAnswerIsNotOfferedAgainAsTheDefault() throws Exception {
        String text = plain("demo\n1.99.1\n\n", Optional.empty(), 1);
        assertTrue(text.contains("1.99 is not supported"), text);
        assertTrue(text.contains("error: cluster.kubernetesVersion"), text);
        int rejected = text.indexOf("1.99 is not supported");
        assertTrue(text.indexOf("Kubernetes version (full, such as 1.36.3) [1.36.3]: ", rejected) > 0, text);
        assertFalse(text.contains("[1.99.1]"), text);
    }

    @Test
    void backShowAndHelpWorkAtEveryQuestion() throws Exception {
        String text = plain("demo\n\nhelp\nshow\nback\n\n\nmirror.example\n\n"
                + "back\nback\n", Optional.empty(), 1);
        assertTrue(text.contains("back returns to the previous question's section"), text);
        assertTrue(text.contains("  cluster:\n    name: demo\n"), text);
        int back = text.indexOf("Image registry [registry.k8s.io]: back");
        assertTrue(back < 0 || text.indexOf("Cluster name [demo]: ", back) > 0, text);
        assertTrue(text.lines().filter(l -> l.startsWith("Cluster name [demo]: ")).count() >= 2, text);
        String autosave = Files.readString(dir.resolve("state/demo").resolve(StateHome.AUTOSAVE));
        assertTrue(autosave.contains("mirror.example"), autosave);
    }

    @Test
    void rolesTakeTheScreensAbbreviationsAndHostsAreCheckedAsTheyAreEntered() throws Exception {
        LiveProbes unreachable = new LiveProbes((target, progress) -> ProbeReport.failed(
                ProbeReport.Outcome.UNREACHABLE, "network is unreachable"),
                (target, progress) -> new VipProbe.Answer(List.of()), new HostKeyTrust());
        String text = plain(String.join("\n", "demo", "", "", "", "", "", "", "", "", "", "",
                "cp1", "192.0.2.11", "cp,lb", ""), Optional.of(unreachable), 1);
        assertTrue(text.contains("checking cp1 at root@192.0.2.11:22 ..."), text);
        assertTrue(text.contains("✗ cp1: network is unreachable"), text);
        String autosave = Files.readString(dir.resolve("state/demo").resolve(StateHome.AUTOSAVE));
        assertTrue(autosave.contains("roles: [control-plane, load-balancer]"), autosave);
    }

    @Test
    void ctrlCSaysInterruptedAndExitsAsASignal() throws Exception {
        String text = plain("demo\n\u0003\n", Optional.empty(), LineMode.INTERRUPTED);
        assertTrue(text.contains("interrupted; the answers so far are in"), text);
    }

    @Test
    void anAutosaveIsOfferedBackInLineMode() throws Exception {
        StateHome home = new StateHome(dir.resolve("state"));
        Draft typed = WizardFirstUseTest.loopbackHosts(1);
        typed.clusterName = "demo";
        Path file = new Autosave(home).autosave(typed);
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        WizardSettings settings = new WizardSettings(VirtualWizard.TODAY, new Palette(false), home,
                Optional.of(dir.resolve("answers.yaml")), Optional.empty());
        Tui.plain(Draft.defaults(), Resume.find(home, Optional.empty(), Draft.defaults()), settings,
                new ByteArrayInputStream("\n\n".getBytes(StandardCharsets.UTF_8)), transcript);
        String text = transcript.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("An autosave holds unsaved answers: cluster demo, 1 host (" + file + ")."), text);
        assertTrue(text.contains("Cluster name [demo]: "), text);
        transcript.reset();
        Tui.plain(Draft.defaults(), Resume.find(home, Optional.empty(), Draft.defaults()), settings,
                new ByteArrayInputStream("no\n".getBytes(StandardCharsets.UTF_8)), transcript);
        assertTrue(Files.isRegularFile(file.resolveSibling(StateHome.AUTOSAVE + Resume.PREVIOUS)),
                transcript.toString(StandardCharsets.UTF_8));
    }
}
