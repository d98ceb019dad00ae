package dev.kubeha.ssh;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.SshSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.keepalive.KeepAliveProvider;

/**
 * The caller-owned registry of connections, one {@link RemoteHost} per host name; safe to use from the engine's
 * worker threads (each host by one thread at a time). Starts no threads besides sshj's own per connection.
 */
public final class SshHosts implements AutoCloseable {
    private final SshSettings settings;
    private final Config config;
    private final KeyFiles keyFiles;
    private final SshAgent agent;
    private final ConcurrentMap<String, SshRemoteHost> hosts = new ConcurrentHashMap<>();

    public SshHosts(SshSettings settings) {
        this.settings = settings;
        DefaultConfig defaults = new DefaultConfig();
        defaults.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        this.config = defaults;
        this.keyFiles = new KeyFiles(settings.prompt());
        this.agent = settings.agentSocket().map(SshAgent::new).orElse(null);
    }

    /** The host of the answers file, created on first use and connected lazily (or by {@link RemoteHost#connect}). */
    public RemoteHost host(HostSpec host, SshSpec ssh) {
        return host(host.name(), SshTarget.of(host, ssh, Path.of(System.getProperty("user.home"))));
    }

    /** The connection registered under {@code name}, created on first use for {@code target}. */
    public RemoteHost host(String name, SshTarget target) {
        return hosts.computeIfAbsent(name, n -> new SshRemoteHost(target, settings, config, keyFiles, agent));
    }

    public List<String> names() {
        return List.copyOf(hosts.keySet());
    }

    /** Closes every connection and forgets every password held. */
    @Override
    public void close() {
        hosts.values().forEach(SshRemoteHost::close);
        hosts.clear();
    }
}
