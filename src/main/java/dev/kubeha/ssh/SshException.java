package dev.kubeha.ssh;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** A failure talking to one host, with a one-line message that names the host and what failed. */
public abstract sealed class SshException extends Exception {
    private final String where;

    SshException(String where, String what, Throwable cause) {
        super(where + ": " + what, cause);
        this.where = where;
    }

    /** The host as user@host:port (and the bastion, when one is used). */
    public String where() {
        return where;
    }

    /** The TCP connection or the SSH handshake could not be established. */
    public static final class Unreachable extends SshException {
        Unreachable(String where, String what, Throwable cause) {
            super(where, what, cause);
        }
    }

    /** The server refused every authentication method kubeha could offer. */
    public static final class AuthFailed extends SshException {
        AuthFailed(String where, String user, List<String> tried, Collection<String> allowed, String detail) {
            super(where, "authentication failed for user " + user + " (tried: "
                    + (tried.isEmpty() ? "nothing" : String.join(", ", tried)) + "; server allows: "
                    + (allowed.isEmpty() ? "unknown" : String.join(",", allowed)) + ")"
                    + (detail.isEmpty() ? "" : ": " + detail), null);
        }
    }

    /** The host presented a key that no known_hosts file lists and the host key policy did not accept it. */
    public static final class HostKeyUnknown extends SshException {
        private final String fingerprint;

        HostKeyUnknown(String where, String keyType, String fingerprint) {
            super(where, "unknown " + keyType + " host key " + fingerprint
                    + "; trust it explicitly (--accept-new-host-keys) after checking the fingerprint", null);
            this.fingerprint = fingerprint;
        }

        /** The presented key's fingerprint in OpenSSH's SHA256:base64 form. */
        public String fingerprint() {
            return fingerprint;
        }
    }

    /** The host presented a key that differs from the one known_hosts records for it: always refused. */
    public static final class HostKeyChanged extends SshException {
        HostKeyChanged(String host, String where, String keyType, List<String> known, String presented) {
            super(where, "HOST KEY CHANGED for " + host + ": known_hosts has " + keyType + " "
                    + String.join(" and ", known) + ", the host now presents " + presented
                    + "; refusing to connect (remove the old entry only if the change is expected)", null);
        }
    }

    /** The login user cannot become root through sudo. */
    public static final class SudoFailed extends SshException {
        SudoFailed(String where, String what) {
            super(where, what, null);
        }
    }

    /** A command ran longer than its timeout and was killed. */
    public static final class CommandTimedOut extends SshException {
        CommandTimedOut(String where, String command, Duration timeout) {
            super(where, "command timed out after " + timeout.toSeconds() + " s and was killed: " + brief(command),
                    null);
        }
    }

    /** The connection dropped while an operation that must not be repeated was in flight. */
    public static final class ConnectionLost extends SshException {
        public ConnectionLost(String where, String what, Throwable cause) {
            super(where, what, cause);
        }
    }

    /** A file could not be uploaded or read. */
    public static final class FileFailed extends SshException {
        FileFailed(String where, String what, Throwable cause) {
            super(where, what, cause);
        }
    }

    /** The calling thread was interrupted; the remote command was abandoned. */
    public static final class Interrupted extends SshException {
        public Interrupted(String where, String command) {
            super(where, "interrupted while running: " + brief(command), null);
        }
    }

    static String brief(String command) {
        String line = command.strip().lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
