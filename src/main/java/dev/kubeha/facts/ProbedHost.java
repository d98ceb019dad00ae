package dev.kubeha.facts;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the read-only facts probe learnt about one host: its {@link HostFacts} and what preflight needs besides.
 *
 * @param clockOffset the host's clock minus the jump host's, at the moment the probe started on the host
 * @param clockUncertainty how far the true offset may lie from {@code clockOffset} either way (half the time spent
 *                         getting to and from the host)
 * @param pid1 the command name of PID 1 (systemd on a host kubeha can manage)
 * @param container the container manager (systemd-nspawn, docker, ...) when the host is a container
 * @param modules the kernel modules among {@link FactsProbe#MODULES} that modinfo finds or /sys/module lists
 * @param listeners the TCP ports among {@link FactsProbe#ports} something listens on, with the command names of the
 *                  listeners in order when known (an empty set when not)
 * @param vipOnInterface true when the load balancer's VIP is one of the host's interface addresses
 */
public record ProbedHost(HostFacts facts, Duration clockOffset, Duration clockUncertainty, String pid1,
                         Optional<String> container, Set<String> modules, Map<Integer, Set<String>> listeners,
                         Installed installed, boolean vipOnInterface) {
    public ProbedHost {
        modules = Set.copyOf(modules);
        Map<Integer, Set<String>> copy = new TreeMap<>();
        listeners.forEach((port, processes) -> copy.put(port,
                Collections.unmodifiableSortedSet(new TreeSet<>(processes))));
        listeners = Collections.unmodifiableMap(copy);
    }

    public boolean systemdIsPid1() {
        return pid1.equals("systemd");
    }

    /**
     * What an earlier install left on the host.
     *
     * @param etcdData true when etcd's data directory exists and is not empty
     * @param kubernetesFiles static-pod manifests, admin.conf and kubelet.conf found under /etc/kubernetes
     * @param kubeletVersion the installed kubelet's version
     * @param kubehaEtcdUnit true when /etc/systemd/system/etcd.service is one kubeha rendered
     * @param kubehaHaproxy true when /etc/haproxy/haproxy.cfg is one kubeha rendered
     * @param kubehaKeepalived true when /etc/keepalived/keepalived.conf is one kubeha rendered
     */
    public record Installed(boolean etcdData, List<String> kubernetesFiles, Optional<String> kubeletVersion,
                            boolean kubehaEtcdUnit, boolean kubehaHaproxy, boolean kubehaKeepalived) {
        public Installed {
            kubernetesFiles = List.copyOf(kubernetesFiles);
        }
    }
}
