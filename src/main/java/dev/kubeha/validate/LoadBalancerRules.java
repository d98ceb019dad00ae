package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.LoadBalancerSpec;
import dev.kubeha.model.Role;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** The VIP, the load-balancer hosts and the keepalived settings. */
final class LoadBalancerRules implements Rule {
    static final int APISERVER_PORT = 6443;

    @Override
    public void check(ClusterSpec spec, Problems out) {
        LoadBalancerSpec lb = spec.loadBalancer();
        List<HostSpec> lbHosts = spec.hostsWith(Role.LOAD_BALANCER);
        int controlPlanes = spec.hostsWith(Role.CONTROL_PLANE).size();
        if (lbHosts.size() == 1) {
            out.error("hosts", "only one host (" + lbHosts.get(0).name() + ") has the load-balancer role; a VIP needs"
                    + " at least two, or none when you run your own load balancer at loadBalancer.vip");
        }
        if (lb.vip().isEmpty()) {
            if (!lbHosts.isEmpty()) {
                out.error("loadBalancer.vip", "is required when hosts have the load-balancer role");
            } else if (controlPlanes > 1) {
                out.error("loadBalancer.vip", "is required with more than one control plane");
            }
        } else {
            checkVip(spec, lb.vip(), lbHosts, out);
        }
        if (lb.port() < 1 || lb.port() > 65535) {
            out.error("loadBalancer.port", lb.port() + " is not a TCP port (1-65535)");
        } else if (lb.port() == APISERVER_PORT) {
            List<String> shared = lbHosts.stream().filter(h -> h.has(Role.CONTROL_PLANE)).map(HostSpec::name).toList();
            if (!shared.isEmpty()) {
                out.error("loadBalancer.port", "6443 is the API server's own port on " + String.join(", ", shared)
                        + ", which also run the load balancer; use another port such as 16443");
            }
        }
        if (lb.virtualRouterId() < 1 || lb.virtualRouterId() > 255) {
            out.error("loadBalancer.virtualRouterId", lb.virtualRouterId() + " is outside 1-255");
        }
        if (!lb.networkInterface().isEmpty() && !Names.isInterfaceName(lb.networkInterface())) {
            out.error("loadBalancer.interface", "'" + lb.networkInterface() + "' is not a network interface name");
        }
    }

    private static void checkVip(ClusterSpec spec, String vip, List<HostSpec> lbHosts, Problems out) {
        Optional<InetAddress> address = IpLiteral.parse(vip);
        if (address.isEmpty()) {
            out.error("loadBalancer.vip", "'" + vip + "' is not an IPv4 or IPv6 address");
            return;
        }
        for (int i = 0; i < spec.hosts().size(); i++) {
            if (IpLiteral.parse(spec.hosts().get(i).address()).equals(address)) {
                out.error("loadBalancer.vip", vip + " is the address of hosts[" + i + "] ("
                        + spec.hosts().get(i).name() + "); the VIP must be a free address");
            }
        }
        for (HostSpec host : lbHosts) {
            Optional<InetAddress> hostAddress = IpLiteral.parse(host.address());
            if (hostAddress.isPresent() && hostAddress.get().getClass() != address.get().getClass()) {
                out.error("loadBalancer.vip", vip + " and load-balancer host " + host.name() + " (" + host.address()
                        + ") are of different IP families");
                return;
            }
        }
    }
}
