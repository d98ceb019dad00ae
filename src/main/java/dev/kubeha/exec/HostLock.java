package dev.kubeha.exec;

import dev.kubeha.model.ShellQuote;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A lock file on each host, /var/lib/kubeha/apply.lock, that stops two applies (or an apply and a reset) at once. */
public final class HostLock {
    public static final String PATH = "/var/lib/kubeha/apply.lock";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Who holds a lock: written into the lock file as one line. */
    public record Holder(String jumpHost, String user, long pid, Instant since) {
        public String line() {
            return "jump host " + jumpHost + ", user " + user + ", pid " + pid + ", since " + since;
        }

        public static Holder current(Clock clock) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown";
            }
            return new Holder(host, System.getProperty("user.name"), ProcessHandle.current().pid(), clock.instant());
        }
    }

    private HostLock() {
    }

    /** Takes the lock, or fails naming the holder; {@code breakStale} removes another holder's lock first. */
    public static void acquire(RemoteHost host, Holder holder, boolean breakStale) throws SshException {
        String line = ShellQuote.quote(holder.line());
        String script = (breakStale ? "rm -f " + PATH + "; " : "") + "mkdir -p /var/lib/kubeha && chmod 0700 "
                + "/var/lib/kubeha && if ( set -C; printf '%s\\n' " + line + " > " + PATH + " ) 2>/dev/null; then"
                + " exit 0; else cat " + PATH + "; exit 3; fi";
        ExecResult result = host.run(RemoteCommand.change(script, TIMEOUT), l -> { });
        if (result.exitCode() == 3) {
            String other = result.stdout().strip();
            throw new LockHeld("another kubeha holds " + PATH + " (" + other + ")" + (isStale(other, holder)
                    ? "; that process is gone from this jump host: run again with --break-lock"
                    : "; if that run is gone, run again with --break-lock"));
        }
        if (!result.ok()) {
            throw new LockHeld("cannot take " + PATH + ": " + result.stderr().strip());
        }
    }

    /** True when the other holder ran on this jump host and its process no longer exists. */
    static boolean isStale(String otherLine, Holder self) {
        Matcher m = Pattern.compile("jump host (\\S+), user \\S+, pid (\\d+),")
                .matcher(otherLine);
        return m.find() && m.group(1).equals(self.jumpHost())
                && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty();
    }

    /** Releases the lock if it is still this holder's. */
    public static void release(RemoteHost host, Holder holder) throws SshException {
        String line = ShellQuote.quote(holder.line());
        host.run(RemoteCommand.change("if [ \"$(cat " + PATH + " 2>/dev/null)\" = " + line + " ]; then rm -f " + PATH
                + "; fi", TIMEOUT), l -> { });
    }

    /** Another run holds the lock. */
    public static final class LockHeld extends RuntimeException {
        public LockHeld(String message) {
            super(message);
        }
    }
}
