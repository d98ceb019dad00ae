package dev.kubeha.tui.probe;

import dev.kubeha.facts.FactsProbe;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.ssh.SshTarget;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything a live check of one host depends on, and nothing else, so that an edit that changes none of it (a role,
 * the host's name) keeps the result and any other edit starts a new probe.
 *
 * @param ssh      where and as whom to log in (address, port, user, key file, bastion)
 * @param stateDir the cluster's state directory, whose known_hosts the install trusts as well
 * @param script   the facts probe script, which depends on the load balancer's port and etcd's data directory
 */
public record ProbeTarget(SshTarget ssh, Path stateDir, String script) {
    /** The check of one host of the answers. */
    public static ProbeTarget of(HostSpec host, ClusterSpec spec, Path stateDir, Path home) {
        return new ProbeTarget(SshTarget.of(host, spec.ssh(), home), stateDir, FactsProbe.script(spec));
    }

    /** Only an address and port, for a TCP check. */
    public static ProbeTarget tcp(String address, int port) {
        return new ProbeTarget(new SshTarget(address, port, "root", Optional.empty(), Optional.empty()),
                Path.of("."), "");
    }

    public String address() {
        return ssh.host();
    }

    public int port() {
        return ssh.port();
    }

    public Path knownHosts() {
        return stateDir.resolve("known_hosts");
    }
}
