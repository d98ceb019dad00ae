package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.ssh.LoopbackSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real wizard in tmux with live checks on, against a real sshd on 127.0.0.1: a host is typed, its unknown key is
 * trusted in the dialog, its facts fill the row, the VIP is found in use, and the wizard goes on to the review. At a
 * large size the host table has a column per fact; at 80x24 one check column; both show the whole fingerprint.
 */
@Tag("tools")
class WizardLiveInTmuxTest {
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final boolean CAPTURE = Boolean.getBoolean("kubeha.tui.capture");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"200, 60", "80, 24"})
    void aHostIsCheckedLiveItsKeyTrustedAndTheWizardReachesTheReview(int columns, int rows) throws Exception {
        Path key = dir.resolve("id_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertTrue(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0);
        Path authorized = dir.resolve("authorized");
        Files.createDirectories(authorized);
        Files.writeString(authorized.resolve("root"), Files.readString(Path.of(key + ".pub")));
        Path state = dir.resolve("state");
        String command = KubehaProcess.shellQuoted(KubehaProcess.command("--state-dir", state.toString(),
                "--answers-out", dir.resolve("answers.yaml").toString())) + " 2>" + dir.resolve("stderr");
        try (LoopbackSshd sshd = new LoopbackSshd(dir.resolve("sshd"), authorized);
             Tmux tmux = new Tmux(dir, columns, rows, command)) {
            String fingerprint = sshd.hostKeyFingerprint();
            tmux.await("step 1/7", STEP);
            for (int i = 0; i < "kubernetes".length(); i++) {
                tmux.send("BSpace");
            }
            tmux.send("demo");
            tmux.await("cluster demo", STEP);
            tmux.toAFirstHost(STEP);
            tmux.send("cp1", "Tab", "127.0.0.1", "Tab", "Space", "Tab", "Tab", "Tab", "Tab",
                    Integer.toString(sshd.port), "Tab", "Tab", key.toString());
            String unknown = tmux.await("the unknown key", s -> s.contains(fingerprint) && s.contains("key unknown"),
                    STEP);
            assertTrue(unknown.lines().anyMatch(l -> l.contains(fingerprint)), "the whole fingerprint:\n" + unknown);
            if (columns >= HostsScreen.WIDE) {
                assertTrue(unknown.contains("host key unknown: ssh-ed25519 " + fingerprint), unknown);
            }
            tmux.send("F6");
            String dialog = tmux.await(HostKeyDialog.UNKNOWN_TITLE, STEP);
            assertTrue(dialog.contains("fingerprint  " + fingerprint), dialog);
            tmux.send("Tab", "Enter");
            String kernel = System.getProperty("os.version");
            String hosts = tmux.await("cp1 probed", s -> !s.contains(HostKeyDialog.UNKNOWN_TITLE)
                    && s.lines().anyMatch(l -> l.startsWith("1 ") && (columns >= HostsScreen.WIDE
                    ? l.contains(kernel) : l.contains("✗ "))) && s.contains("kernel " + kernel), STEP);
            String header = hosts.lines().filter(l -> l.startsWith("#  Name")).findFirst().orElseThrow();
            if (columns >= HostsScreen.WIDE) {
                assertTrue(header.matches("#\\s+Name\\s+Address\\s+Roles\\s+Reach\\s+SSH\\s+OS\\s+Kernel\\s+Conntrack"
                        + "\\s+CPU\\s+Mem\\s+Preflight\\s+Problem\\s*"), header);
                String row = hosts.lines().filter(l -> l.startsWith("1 ")).findFirst().orElseThrow();
                assertTrue(row.contains("nf_conntrack"), row);
                assertTrue(row.matches(".*\\bok \\d+ms\\s+ok\\s+.*"), row);
            } else {
                assertTrue(header.matches("#\\s+Name\\s+Address\\s+Roles\\s+Check\\s+Problem\\s*"), header);
            }
            assertTrue(hosts.lines().allMatch(l -> l.length() <= columns), hosts);
            assertTrue(Files.readString(state.resolve("demo").resolve("known_hosts")).contains("[127.0.0.1]:"
                    + sshd.port + " ssh-ed25519 "));
            tmux.send("NPage");
            tmux.await("step 4/7", STEP);
            tmux.send("127.0.0.77");
            String lb = tmux.await("VIP check: ✗ in use", STEP);
            assertTrue(lb.contains("127.0.0.77 answers on echo"), lb);
            tmux.send("NPage");
            tmux.await("step 5/7", STEP);
            tmux.send("NPage");
            tmux.await("step 6/7", STEP);
            tmux.send("NPage");
            String review = tmux.await("step 7/7", STEP);
            assertFalse(review.contains("Exception"), review);
            tmux.send("F10");
            tmux.await("not saved to", STEP);
            tmux.send("Tab", "Tab", "Enter");
            tmux.await("KUBEHA-EXIT=1", STEP);
            if (CAPTURE) {
                Files.writeString(Path.of("target", "tui-live-hosts-" + columns + "x" + rows + ".txt"), hosts);
                Files.writeString(Path.of("target", "tui-live-lb-" + columns + "x" + rows + ".txt"), lb);
                Files.writeString(Path.of("target", "tui-live-review-" + columns + "x" + rows + ".txt"), review);
            }
        }
    }
}
