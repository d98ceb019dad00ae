package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.Role;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Host names, addresses, roles and the member counts that HA depends on. */
final class HostRules implements Rule {
    @Override
    public void check(ClusterSpec spec, Problems out) {
        List<HostSpec> hosts = spec.hosts();
        if (hosts.isEmpty()) {
            out.error("hosts", "at least one host is needed");
            return;
        }
        Map<String, Integer> names = new HashMap<>();
        Map<InetAddress, Integer> addresses = new HashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            HostSpec host = hosts.get(i);
            String at = "hosts[" + i + "]";
            checkName(host.name(), at, i, names, out);
            checkAddress(host.address(), at, i, addresses, out);
            if (host.roles().isEmpty() && !out.hasErrorAt(at + ".roles")) {
                out.error(at + ".roles", "a host needs at least one role (" + knownRoles() + ")");
            }
        }
        checkCounts(spec, out);
    }

    private static void checkName(String name, String at, int index, Map<String, Integer> seen, Problems out) {
        if (name == null || name.isEmpty()) {
            out.error(at + ".name", "is required");
        } else if (!Names.isHostName(name)) {
            out.error(at + ".name", "'" + name + "' is not a valid host name (RFC 1123: lower-case letters, digits,"
                    + " '-' and '.', starting and ending with a letter or digit)");
        } else if (seen.containsKey(name)) {
            out.error(at + ".name", "'" + name + "' is already the name of hosts[" + seen.get(name) + "]");
        } else {
            seen.put(name, index);
        }
    }

    private static void checkAddress(String address, String at, int index, Map<InetAddress, Integer> seen,
                                     Problems out) {
        if (address == null || address.isEmpty()) {
            out.error(at + ".address", "is required");
            return;
        }
        Optional<InetAddress> parsed = IpLiteral.parse(address);
        if (parsed.isEmpty()) {
            out.error(at + ".address", "'" + address + "' is not an IPv4 or IPv6 address");
        } else if (parsed.get().isLoopbackAddress() || parsed.get().isAnyLocalAddress()
                || parsed.get().isMulticastAddress()) {
            out.error(at + ".address", address + " cannot be a node address (loopback, wildcard or multicast)");
        } else if (seen.containsKey(parsed.get())) {
            out.error(at + ".address", address + " is already the address of hosts[" + seen.get(parsed.get()) + "]");
        } else {
            seen.put(parsed.get(), index);
        }
    }

    private static void checkCounts(ClusterSpec spec, Problems out) {
        int controlPlanes = spec.hostsWith(Role.CONTROL_PLANE).size();
        int etcd = spec.hostsWith(Role.ETCD).size();
        if (controlPlanes == 0) {
            out.error("hosts", "no host has the control-plane role; at least one is needed");
            return;
        }
        if (controlPlanes == 1) {
            out.warning("hosts", "only one host has the control-plane role: the API server is not highly available");
        }
        if (etcd == 0) {
            if (controlPlanes % 2 == 0) {
                out.warning("hosts", "etcd runs stacked on " + controlPlanes + " control planes: an even member count"
                        + " tolerates no more failures than " + (controlPlanes - 1) + " members");
            }
        } else if (etcd > 7) {
            out.error("hosts", etcd + " hosts have the etcd role; an etcd cluster has at most 7 members"
                    + " (1, 3, 5 or 7)");
        } else if (etcd % 2 == 0) {
            out.warning("hosts", etcd + " hosts have the etcd role: an even member count tolerates no more failures"
                    + " than " + (etcd - 1) + " members; apply refuses it without --allow-even");
        } else if (etcd == 1) {
            out.warning("hosts", "only one host has the etcd role: etcd has no fault tolerance");
        }
        if (spec.hostsWith(Role.WORKER).isEmpty()) {
            out.warning("hosts", "no host has the worker role; the control planes will run workloads"
                    + " (kubeha leaves their NoSchedule taint off)");
        }
    }

    static String knownRoles() {
        return String.join(", ", Arrays.stream(Role.values()).map(Role::yamlName).toList());
    }
}
