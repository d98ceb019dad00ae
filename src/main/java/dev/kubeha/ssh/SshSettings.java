package dev.kubeha.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How every connection of one run behaves.
 *
 * @param connectTimeout TCP connect (and bastion channel open)
 * @param authTimeout key exchange, each authentication round trip and each channel request
 * @param keepAlive interval of OpenSSH keepalive requests that detect a dead peer
 * @param agentSocket the ssh-agent socket (SSH_AUTH_SOCK), used for hosts without an identity file
 */
public record SshSettings(KnownHosts knownHosts, HostKeyPolicy hostKeyPolicy, SecretPrompt prompt,
                          Duration connectTimeout, Duration authTimeout, Duration keepAlive,
                          Optional<Path> agentSocket) {
    public SshSettings {
        if (keepAlive.compareTo(authTimeout) >= 0) {
            throw new IllegalArgumentException("the keepalive interval must be shorter than the auth timeout,"
                    + " which bounds every read until authentication completes");
        }
    }

    public static SshSettings defaults(Path stateDir, HostKeyPolicy policy, SecretPrompt prompt) {
        Path home = Path.of(System.getProperty("user.home"));
        return new SshSettings(KnownHosts.standard(stateDir, home), policy, prompt, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(15),
                Optional.ofNullable(System.getenv("SSH_AUTH_SOCK")).filter(s -> !s.isEmpty()).map(Path::of));
    }
}
