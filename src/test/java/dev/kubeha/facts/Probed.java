package dev.kubeha.facts;

import dev.kubeha.model.HostSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds a ProbedHost for preflight tests: a healthy Ubuntu 24.04 amd64 host by default, changed field by field. */
final class Probed {
    String hostname;
    String osId = "ubuntu";
    String osVersion = "24.04";
    String kernel = "6.8.0-85-generic";
    String arch = "amd64";
    int cpus = 2;
    long memoryMb = 3911;
    long swapMb;
    int cgroupVersion = 2;
    String machineId;
    String productUuid;
    List<NetInterface> interfaces = new ArrayList<>();
    String conntrack = ConntrackModule.MERGED;
    Duration offset = Duration.ZERO;
    Duration uncertainty = Duration.ofMillis(20);
    String pid1 = "systemd";
    Optional<String> container = Optional.empty();
    Set<String> modules = new TreeSet<>(FactsProbe.MODULES.stream()
            .filter(m -> !m.equals(ConntrackModule.LEGACY_IPV4)).toList());
    Map<Integer, Set<String>> listeners = new TreeMap<>();
    boolean etcdData;
    List<String> kubernetesFiles = new ArrayList<>();
    Optional<String> kubelet = Optional.empty();
    boolean kubehaEtcdUnit;
    boolean kubehaHaproxy;
    boolean kubehaKeepalived;
    boolean vipOnInterface;
    Optional<String> containerd = Optional.empty();

    /** A host carrying its answers-file address on eth0 in a /24, with its own machine-id and product_uuid. */
    Probed(HostSpec host) {
        hostname = host.name();
        machineId = Integer.toHexString(host.name().hashCode()) + "0123456789abcdef0123456789";
        productUuid = "uuid-" + host.name();
        interfaces.add(new NetInterface("lo", List.of("127.0.0.1/8")));
        interfaces.add(new NetInterface("eth0", List.of(host.address() + "/24")));
    }

    Probed listening(int port, String... processes) {
        listeners.put(port, Set.of(processes));
        return this;
    }

    ProbedHost build() {
        HostFacts facts = new HostFacts(hostname, OsFamily.DEBIAN, osId, osVersion, kernel, arch, cpus, memoryMb,
                swapMb, cgroupVersion, machineId, productUuid, interfaces, containerd, conntrack, Set.of(),
                false);
        return new ProbedHost(facts, offset, uncertainty, pid1, container, modules, listeners,
                new ProbedHost.Installed(etcdData, kubernetesFiles, kubelet, kubehaEtcdUnit, kubehaHaproxy,
                        kubehaKeepalived), vipOnInterface);
    }
}
