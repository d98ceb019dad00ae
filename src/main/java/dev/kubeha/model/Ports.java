package dev.kubeha.model;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import java.util.ArrayList;
import java.util.List;

/** The ports each role listens on, to open in host firewalls (kubeadm's "Ports and Protocols" table). */
public final class Ports {
    private Ports() {
    }

    public static List<String> of(ClusterSpec spec, HostSpec host) {
        List<String> ports = new ArrayList<>();
        if (host.has(Role.LOAD_BALANCER)) {
            ports.add(spec.loadBalancer().port() + "/tcp");
        }
        if (host.has(Role.CONTROL_PLANE)) {
            ports.addAll(List.of("6443/tcp", "10257/tcp", "10259/tcp"));
            if (spec.stackedEtcd()) {
                ports.add("2379-2380/tcp");
            }
        }
        if (host.has(Role.ETCD)) {
            ports.add("2379-2380/tcp");
        }
        if (host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER)) {
            ports.add("10250/tcp");
            if (host.has(Role.WORKER)) {
                ports.add("30000-32767/tcp");
            }
            if (spec.network().cni() == Cni.FLANNEL) {
                ports.add("8472/udp");
            }
        }
        return ports.stream().distinct().toList();
    }
}
