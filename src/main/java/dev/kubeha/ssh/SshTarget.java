package dev.kubeha.ssh;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.JumpHostPath;
import dev.kubeha.model.SshSpec;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and as whom to log in.
 *
 * @param identityFile the private key file; empty means ssh-agent, then a password prompt
 * @param bastion the jump host the connection is tunnelled through, if any
 */
public record SshTarget(String host, int port, String user, Optional<Path> identityFile, Optional<SshTarget> bastion) {
    private static final Pattern BASTION =
            Pattern.compile("(?:([^@\\s]+)@)?(\\[[0-9a-fA-F:.]+]|[^@:\\s\\[\\]]+)(?::(\\d{1,5}))?");

    /** The target for one host of the answers file; a leading ~/ in key paths means {@code home}. */
    public static SshTarget of(HostSpec host, SshSpec ssh, Path home) {
        return new SshTarget(host.address(), host.sshPort(ssh), host.sshUser(ssh),
                keyFile(host.sshIdentityFile(ssh), home), bastion(ssh, home));
    }

    /** The bastion of {@code ssh.bastion} (user@host:port; user defaults to ssh.user, port to 22). */
    public static Optional<SshTarget> bastion(SshSpec ssh, Path home) {
        if (ssh.bastion().isEmpty()) {
            return Optional.empty();
        }
        var m = BASTION.matcher(ssh.bastion());
        if (!m.matches()) {
            throw new IllegalArgumentException("ssh.bastion: '" + ssh.bastion()
                    + "' is not of the form user@host:port");
        }
        String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        return Optional.of(new SshTarget(host, m.group(3) == null ? 22 : Integer.parseInt(m.group(3)),
                m.group(1) == null ? ssh.user() : m.group(1), keyFile(ssh.identityFile(), home), Optional.empty()));
    }

    private static Optional<Path> keyFile(String path, Path home) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(JumpHostPath.of(path, home));
    }

    public boolean root() {
        return user.equals("root");
    }

    /** user@host:port, with " via " the bastion when there is one: how every message names the host. */
    public String where() {
        String self = user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return bastion.map(b -> self + " via " + b.where()).orElse(self);
    }
}
