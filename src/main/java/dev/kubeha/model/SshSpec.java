package dev.kubeha.model;

/** How the jump host reaches every node; an empty identityFile means ssh-agent, then a password prompt. */
public record SshSpec(String user, int port, String identityFile, boolean sudo, String bastion) {
    public static final SshSpec DEFAULTS = new SshSpec("root", 22, "", false, "");
}
