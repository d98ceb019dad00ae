package dev.kubeha.tui;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.SshSpec;

/** Where and as whom a host is reached over SSH. */
public record ProbeTarget(String name, String address, int port, String user) {
    public static ProbeTarget of(HostSpec host, SshSpec ssh) {
        return new ProbeTarget(host.name(), host.address(), host.sshPort(ssh), host.sshUser(ssh));
    }
}
