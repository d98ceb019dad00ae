package dev.kubeha.model;

import java.util.Set;

/** One machine of the cluster; null port, user or identityFile inherit from {@link SshSpec}. */
public record HostSpec(String name, String address, Set<Role> roles, Integer port, String user, String identityFile) {
    public HostSpec {
        roles = Set.copyOf(roles);
    }

    public HostSpec(String name, String address, Set<Role> roles) {
        this(name, address, roles, null, null, null);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public int sshPort(SshSpec ssh) {
        return port != null ? port : ssh.port();
    }

    public String sshUser(SshSpec ssh) {
        return user != null ? user : ssh.user();
    }

    public String sshIdentityFile(SshSpec ssh) {
        return identityFile != null ? identityFile : ssh.identityFile();
    }
}
