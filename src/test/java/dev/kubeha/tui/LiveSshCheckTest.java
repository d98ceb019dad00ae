package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.model.Role;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.ssh.LoopbackSshd;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SecretPrompt;
import dev.kubeha.ssh.SshHosts;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.ssh.SshTarget;
import dev.kubeha.tui.probe.HostKeyTrust;
import dev.kubeha.tui.probe.LiveProbes;
import dev.kubeha.tui.probe.SshFactsProbe;
import dev.kubeha.tui.probe.VipProbe;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wizard's live check against a real sshd on 127.0.0.1: the unknown host key, its fingerprint in the row and in
 * the dialog, Reject and Trust, the facts of this machine once trusted, the precise errors of other rows, a changed
 * key never offered for trust, and an install-time connection that needs no --accept-new-host-keys afterwards.
 */
@Tag("tools")
class LiveSshCheckTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static void keygen(Path file) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "live-check", "-f",
                file.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream()
                .readAllBytes()));
    }

    private static String await(VirtualWizard w, String what, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String text = w.text();
        while (!condition.test(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the screen was:\n" + text);
            }
            Thread.sleep(50);
            text = w.text();
        }
        return text;
    }

    private static String await(VirtualWizard w, String text) throws Exception {
        return await(w, "'" + text + "'", s -> s.contains(text));
    }

    /** How many rows of the host table contain the text. */
    private static long rows(String screen, String text) {
        return screen.lines().filter(l -> l.matches("\\d+ .*") && l.contains(text)).count();
    }

    private static Draft.HostDraft host(String name, int port, String user) {
        Draft.HostDraft h = new Draft.HostDraft();
        h.name = name;
        h.address = "127.0.0.1";
        h.port = Integer.toString(port);
        h.user = user;
        h.toggle(Role.CONTROL_PLANE);
        return h;
    }

    @Test
    void anUnknownKeyIsShownRejectedThenTrustedAndTheHostIsProbed() throws Exception {
        Path key = dir.resolve("id_ed25519");
        keygen(key);
        Path authorized = dir.resolve("authorized");
        Files.createDirectories(authorized);
        Files.writeString(authorized.resolve("root"), Files.readString(Path.of(key + ".pub")));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path stateRoot = dir.resolve("state");
        try (LoopbackSshd sshd = new LoopbackSshd(dir.resolve("sshd"), authorized)) {
            String fingerprint = sshd.hostKeyFingerprint();
            Draft draft = Draft.defaults();
            draft.clusterName = "demo";
            draft.identityFile = key.toString();
            draft.hosts.add(host("cp1", sshd.port, ""));
            draft.hosts.add(host("cp2", sshd.port, "kubeha-nobody"));
            draft.hosts.add(host("cp3", closed, ""));
            HostKeyTrust trust = new HostKeyTrust();
            LiveProbes probes = new LiveProbes(new SshFactsProbe(trust, Duration.ofSeconds(3), Duration.ofSeconds(15),
                    Clock.systemUTC()), (vip, progress) -> new VipProbe.Answer(List.of()), trust);
            Path knownHosts = stateRoot.resolve("demo").resolve("known_hosts");
            try (VirtualWizard w = new VirtualWizard(200, 60, draft, Optional.of(probes), stateRoot)) {
                w.wizard.show(2);
                String text = await(w, "two unknown keys and a refusal", s -> rows(s, "key unknown") == 2
                        && rows(s, "refused") == 1);
                assertTrue(text.contains("cp1 root@127.0.0.1:" + sshd.port + ": host key unknown: ssh-ed25519 "
                        + fingerprint + " (F6, or t on the table: check and trust it)"), text);

                w.keys(new KeyStroke('t', false, false));
                text = await(w, HostKeyDialog.UNKNOWN_TITLE);
                assertTrue(text.contains("key type     ssh-ed25519"), text);
                assertTrue(text.contains("fingerprint  " + fingerprint), text);
                assertTrue(text.contains("  " + knownHosts), text);
                w.keys(new KeyStroke(KeyType.Enter));
                text = await(w, "the dialog closed", s -> !s.contains(HostKeyDialog.UNKNOWN_TITLE));
                assertFalse(Files.exists(knownHosts), "Reject records nothing");
                assertEquals(2, rows(text, "key unknown"), text);

                w.keys(new KeyStroke(KeyType.F6));
                await(w, HostKeyDialog.UNKNOWN_TITLE);
                w.keys(new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Enter));
                String kernel = System.getProperty("os.version");
                text = await(w, "cp1 probed and cp2 refused", s -> s.lines().anyMatch(l -> l.contains("cp1")
                        && l.contains(kernel)) && s.contains("auth failed"));
                assertTrue(Files.readString(knownHosts).contains(sshd.hostKeyLine().split(" ", 2)[1].strip()),
                        Files.readString(knownHosts));
                if (Boolean.getBoolean("kubeha.tui.capture")) {
                    Files.writeString(Path.of("target", "tui-hosts-live-200x60.txt"), text);
                }
                String cp1 = text.lines().filter(l -> l.startsWith("1 ")).findFirst().orElseThrow();
                assertTrue(cp1.matches("1\\s+cp1\\s+127\\.0\\.0\\.1\\s+cp\\s+ok \\d+ms\\s+ok\\s+.*"), cp1);
                assertTrue(cp1.contains("nf_conntrack"), "the conntrack column: " + cp1);
                String cp2 = text.lines().filter(l -> l.startsWith("2 ")).findFirst().orElseThrow();
                assertTrue(cp2.contains("auth failed"), cp2);
                String cp3 = text.lines().filter(l -> l.startsWith("3 ")).findFirst().orElseThrow();
                assertTrue(cp3.contains("refused"), cp3);

                // The install's own connection (REJECT_UNKNOWN, the cluster's state directory) now trusts the key.
                SshSettings install = SshSettings.defaults(stateRoot.resolve("demo"), HostKeyPolicy.REJECT_UNKNOWN,
                        SecretPrompt.NONE);
                try (SshHosts hosts = new SshHosts(install)) {
                    RemoteHost h = hosts.host("cp1", new SshTarget("127.0.0.1", sshd.port, "root", Optional.of(key),
                            Optional.empty()));
                    assertEquals("ok", h.run(RemoteCommand.probe("echo ok", Duration.ofSeconds(10)), l -> { })
                            .stdout().strip());
                }

                sshd.stop();
                sshd.newHostKey();
                sshd.start();
                w.keys(new KeyStroke(KeyType.F5));
                text = await(w, "KEY CHANGED");
                w.keys(new KeyStroke(KeyType.F6));
                text = await(w, HostKeyDialog.CHANGED_TITLE);
                assertTrue(text.contains("DIFFERENT host key"), text);
                assertTrue(text.contains(sshd.hostKeyFingerprint()), text);
                assertTrue(text.contains("ssh-keygen -R '[127.0.0.1]:" + sshd.port + "' -f " + knownHosts), text);
                assertFalse(text.contains("< Trust >"), "a changed key is never offered for trust:\n" + text);
            }
        }
    }
}
