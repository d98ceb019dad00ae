package dev.kubeha.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.OutputLine;
import dev.kubeha.ssh.CommandOnlyHost;
import dev.kubeha.ssh.RemoteCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock script run by the local sh, its lock file moved into a temporary directory. */
class HostLockScriptTest {
    @TempDir
    Path dir;

    /** Runs each command with sh, the lock's directory replaced by one under the test's directory. */
    final class LocalShell extends CommandOnlyHost {
        final List<String> scripts = new ArrayList<>();

        @Override
        public String where() {
            return "root@local:22";
        }

        @Override
        public ExecResult run(RemoteCommand command, Consumer<OutputLine> output) {
            scripts.add(command.script());
            String script = command.script().replace("/var/lib/kubeha", dir.resolve("var-lib-kubeha").toString());
            try {
                Process p = new ProcessBuilder("sh", "-c", script).redirectInput(ProcessBuilder.Redirect.from(
                        Path.of("/dev/null").toFile())).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                return new ExecResult(command.script(), p.waitFor(), out, err, Duration.ZERO);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

    }

    static HostLock.Holder holder(long pid) {
        return new HostLock.Holder("other-jump-host", "root", pid, Instant.parse("2026-12-05T10:00:00Z"));
    }

    Path lockFile() {
        return dir.resolve("var-lib-kubeha/apply.lock");
    }

    @Test
    void theLockAndTheWorkAfterItAreOneCommandAndTheHolderMayRepeatIt() throws Exception {
        LocalShell host = new LocalShell();
        HostLock.Holder me = holder(1);
        RemoteCommand probe = RemoteCommand.probe("echo probed", Duration.ofSeconds(60));
        ExecResult first = HostLock.acquireThen(host, me, false, probe);
        assertEquals("probed\n", first.stdout());
        assertEquals(1, host.scripts.size());
        assertEquals(me.line() + "\n", Files.readString(lockFile()));
        assertEquals("probed\n", HostLock.acquireThen(host, me, false, probe).stdout(),
                "a repeat after a dropped connection finds its own lock");
        assertEquals(me.line() + "\n", Files.readString(lockFile()));
    }

    @Test
    void anotherHoldersLockIsRefusedNamingItAndTheWorkNeverRuns() throws Exception {
        LocalShell host = new LocalShell();
        HostLock.acquire(host, holder(1), false);
        RemoteCommand marker = RemoteCommand.probe("touch " + dir.resolve("ran"), Duration.ofSeconds(60));
        HostLock.LockHeld held = assertThrows(HostLock.LockHeld.class,
                () -> HostLock.acquireThen(host, holder(2), false, marker));
        assertEquals("another kubeha holds " + HostLock.PATH + " (" + holder(1).line() + "); if that run is gone,"
                + " run again with --break-lock", held.getMessage());
        assertTrue(Files.notExists(dir.resolve("ran")));
        assertEquals(holder(1).line() + "\n", Files.readString(lockFile()));

        HostLock.acquireThen(host, holder(2), true, marker);
        assertEquals(holder(2).line() + "\n", Files.readString(lockFile()), "--break-lock takes it over");
        assertTrue(Files.exists(dir.resolve("ran")));
    }

    @Test
    void aLockThatCannotBeCreatedSaysWhy() throws Exception {
        Files.writeString(dir.resolve("var-lib-kubeha"), "a file where the directory should be");
        HostLock.LockHeld refused = assertThrows(HostLock.LockHeld.class,
                () -> HostLock.acquireThen(new LocalShell(), holder(1), false,
                        RemoteCommand.probe("true", Duration.ofSeconds(60))));
        assertTrue(refused.getMessage().startsWith("cannot take " + HostLock.PATH + ": "), refused.getMessage());
    }
}
