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
    private static final int HELD = 3;
    private static final int NOT_TAKEN = 4;
    private static final String HELD_BY = "kubeha-lock-held-by: ";

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
        acquireThen(host, holder, breakStale, RemoteCommand.change("true", TIMEOUT));
    }

    /**
     * Takes the lock and runs {@code then} in the same command, one round trip: {@code then}'s result once the lock
     * is this holder's, or LockHeld naming the other holder. Taking it again is harmless to this holder, so the
     * command is as repeatable after a dropped connection as {@code then} is.
     */
    public static ExecResult acquireThen(RemoteHost host, Holder holder, boolean breakStale, RemoteCommand then)
            throws SshException {
        String script = script(holder, breakStale) + "\n" + then.script();
        Duration timeout = then.timeout().compareTo(TIMEOUT) > 0 ? then.timeout() : TIMEOUT;
        ExecResult result = host.run(new RemoteCommand(script, timeout, then.idempotent()), l -> { });
        if (result.exitCode() == HELD && result.stdout().startsWith(HELD_BY)) {
            String other = result.stdout().substring(HELD_BY.length()).strip();
            throw new LockHeld("another kubeha holds " + PATH + " (" + other + ")" + (isStale(other, holder)
                    ? "; that process is gone from this jump host: run again with --break-lock"
                    : "; if that run is gone, run again with --break-lock"));
        }
        if (result.exitCode() == NOT_TAKEN) {
            throw new LockHeld("cannot take " + PATH + ": " + result.stderr().strip());
        }
        return result;
    }

    /** The lines that take the lock for {@code holder}, or exit 3 printing the other holder, or exit 4. */
    static String script(Holder holder, boolean breakStale) {
        String line = ShellQuote.quote(holder.line());
        return (breakStale ? "rm -f " + PATH + "\n" : "") + "{ mkdir -p /var/lib/kubeha && chmod 0700 /var/lib/kubeha;"
                + " } || exit " + NOT_TAKEN + "\n"
                + "if ( set -C; printf '%s\\n' " + line + " > " + PATH + " ) 2>/dev/null || [ \"$(cat " + PATH
                + " 2>/dev/null)\" = " + line + " ]; then :; else printf '%s' '" + HELD_BY + "'; cat " + PATH
                + "; exit " + HELD + "; fi";
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
