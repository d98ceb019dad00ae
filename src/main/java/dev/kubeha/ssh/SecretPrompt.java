package dev.kubeha.ssh;

import java.util.Optional;

/** Asks the operator for a secret (the TUI or CLI prompts); empty when the operator declines or cannot be asked. */
@FunctionalInterface
public interface SecretPrompt {
    /** A prompt for non-interactive runs: every secret is declined. */
    SecretPrompt NONE = request -> Optional.empty();

    /** The returned array is owned and cleared by the SSH layer once used. */
    Optional<char[]> ask(Request request);

    /** What is asked for, and for which host or key file. */
    record Request(Kind kind, String user, String where, String keyFile) {
        public String text() {
            return switch (kind) {
                case KEY_PASSPHRASE -> "Passphrase for " + keyFile;
                case LOGIN_PASSWORD -> "SSH password for " + user + " on " + where;
                case SUDO_PASSWORD -> "sudo password for " + user + " on " + where;
            };
        }
    }

    /** The three secrets the SSH layer may need. */
    enum Kind { KEY_PASSPHRASE, LOGIN_PASSWORD, SUDO_PASSWORD }
}
