package dev.kubeha.render;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.NetInterface;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.Role;
import dev.kubeha.model.SupportedReleases;
import dev.kubeha.model.Version;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Derived facts of a cluster that several renderers share: endpoints, the release row, interfaces. */
public final class Topology {
    public static final int APISERVER_PORT = 6443;
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._~:/%+@,=\\[\\]-]+");

    private Topology() {
    }

    public static KubernetesRelease release(ClusterSpec spec) {
        Version version = Version.parse(spec.cluster().kubernetesVersion()).orElseThrow(() -> new RenderException(
                "cluster.kubernetesVersion: '" + spec.cluster().kubernetesVersion() + "' is not a version"));
        return SupportedReleases.forVersion(version).orElseThrow(() -> new RenderException(
                "cluster.kubernetesVersion: " + version.minorLine() + " is not supported; supported minors: "
                        + SupportedReleases.minors()));
    }

    public static HostSpec firstControlPlane(ClusterSpec spec) {
        return spec.hostsWith(Role.CONTROL_PLANE).stream().findFirst()
                .orElseThrow(() -> new RenderException("hosts: no host has the control-plane role"));
    }

    /** host:port with brackets around an IPv6 literal. */
    public static String hostPort(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** "VIP:port", or the first control plane's address:6443 when there is no VIP. */
    public static String controlPlaneEndpoint(ClusterSpec spec) {
        return spec.loadBalancer().vip().isEmpty()
                ? hostPort(firstControlPlane(spec).address(), APISERVER_PORT)
                : hostPort(spec.loadBalancer().vip(), spec.loadBalancer().port());
    }

    static HostFacts facts(Map<String, HostFacts> facts, HostSpec host) {
        HostFacts f = facts.get(host.name());
        if (f == null) {
            throw new RenderException(host.name() + ": no facts (probe the host or pass --facts)");
        }
        return f;
    }

    /** loadBalancer.interface, else the interface whose addresses include the host's address. */
    static String vipInterface(ClusterSpec spec, HostSpec host, HostFacts facts) {
        if (!spec.loadBalancer().networkInterface().isEmpty()) {
            return spec.loadBalancer().networkInterface();
        }
        Optional<InetAddress> address = IpLiteral.parse(host.address());
        for (NetInterface nic : facts.interfaces()) {
            for (String cidr : nic.addresses()) {
                String ip = cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
                if (address.isPresent() && address.equals(IpLiteral.parse(ip))) {
                    return nic.name();
                }
            }
        }
        throw new RenderException(host.name() + ": no interface in its facts carries " + host.address()
                + "; set loadBalancer.interface");
    }

    /** Secrets are written into config files unquoted, so they must be plain words of at least minLength. */
    static void requireSafeSecret(String value, int minLength, String what) {
        if (value == null || value.length() < minLength || !value.matches("[A-Za-z0-9._~-]+")) {
            throw new RenderException("state: the " + what + " must be at least " + minLength
                    + " letters, digits or ._~-");
        }
    }

    /**
     * The value as one word of a whitespace-separated configuration (keepalived, haproxy, module lists, apt sources):
     * a value that could end the word, the line or the block, or start a comment, is refused.
     */
    static String word(String value, String what) {
        if (value == null || !WORD.matcher(value).matches()) {
            throw new RenderException(what + ": '" + value + "' cannot be written into a configuration file as one"
                    + " word");
        }
        return value;
    }

    static boolean isKubernetesNode(HostSpec host) {
        return host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER);
    }
}
