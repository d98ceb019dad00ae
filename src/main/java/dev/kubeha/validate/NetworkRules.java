package dev.kubeha.validate;

import dev.kubeha.model.Cidr;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.model.Role;
import java.net.InetAddress;
import java.util.Optional;

/** Pod and service CIDRs, the DNS domain. */
final class NetworkRules implements Rule {
    private static final int MAX_SERVICE_PREFIX_V4 = 12;
    private static final int MAX_SERVICE_PREFIX_V6 = 108;
    private static final int NODE_PREFIX_V4 = 24;
    private static final int NODE_PREFIX_V6 = 64;

    @Override
    public void check(ClusterSpec spec, Problems out) {
        NetworkSpec net = spec.network();
        Optional<Cidr> pods = cidr(net.podSubnet(), "network.podSubnet", out);
        Optional<Cidr> services = cidr(net.serviceSubnet(), "network.serviceSubnet", out);
        services.ifPresent(s -> checkServiceSize(s, out));
        pods.ifPresent(p -> checkPodRoom(spec, p, out));
        if (pods.isPresent() && services.isPresent() && pods.get().overlaps(services.get())) {
            out.error("network.serviceSubnet", services.get() + " overlaps network.podSubnet " + pods.get());
        }
        pods.ifPresent(p -> checkNoClusterAddressInside(spec, p, "network.podSubnet", out));
        services.ifPresent(s -> checkNoClusterAddressInside(spec, s, "network.serviceSubnet", out));
        if (!Names.isHostName(net.dnsDomain())) {
            out.error("network.dnsDomain", "'" + net.dnsDomain() + "' is not a valid DNS domain");
        }
    }

    private static Optional<Cidr> cidr(String text, String path, Problems out) {
        Optional<Cidr> cidr = Cidr.parse(text);
        if (cidr.isEmpty()) {
            out.error(path, "'" + text + "' is not a CIDR such as 10.96.0.0/12");
            return cidr;
        }
        InetAddress written = IpLiteral.parse(text.substring(0, text.indexOf('/'))).orElseThrow();
        if (!written.equals(cidr.get().network())) {
            out.error(path, text + " has host bits set; write " + cidr.get());
            return Optional.empty();
        }
        return cidr;
    }

    private static void checkServiceSize(Cidr services, Problems out) {
        int max = services.isIpv4() ? MAX_SERVICE_PREFIX_V4 : MAX_SERVICE_PREFIX_V6;
        if (services.prefix() < max) {
            out.error("network.serviceSubnet", "/" + services.prefix() + " is larger than the API server allows"
                    + " (at most /" + max + " for " + (services.isIpv4() ? "IPv4" : "IPv6") + ")");
        }
    }

    private static void checkPodRoom(ClusterSpec spec, Cidr pods, Problems out) {
        int nodePrefix = pods.isIpv4() ? NODE_PREFIX_V4 : NODE_PREFIX_V6;
        long nodes = spec.hosts().stream().filter(h -> h.has(Role.CONTROL_PLANE) || h.has(Role.WORKER)).count();
        if (pods.prefix() > nodePrefix) {
            out.error("network.podSubnet", "/" + pods.prefix() + " leaves no room for a /" + nodePrefix + " per node");
            return;
        }
        int spareBits = nodePrefix - pods.prefix();
        if (spareBits < 31 && (1L << spareBits) < nodes) {
            out.error("network.podSubnet", pods + " holds " + (1L << spareBits) + " node ranges (/" + nodePrefix
                    + " each) but the cluster has " + nodes + " nodes");
        }
    }

    private static void checkNoClusterAddressInside(ClusterSpec spec, Cidr cidr, String path, Problems out) {
        for (int i = 0; i < spec.hosts().size(); i++) {
            HostSpec host = spec.hosts().get(i);
            Optional<InetAddress> address = IpLiteral.parse(host.address());
            if (address.isPresent() && cidr.contains(address.get())) {
                out.error(path, cidr + " contains the address of hosts[" + i + "] (" + host.name() + " "
                        + host.address() + ")");
            }
        }
        IpLiteral.parse(spec.loadBalancer().vip()).filter(cidr::contains).ifPresent(vip ->
                out.error(path, cidr + " contains loadBalancer.vip " + spec.loadBalancer().vip()));
    }
}
