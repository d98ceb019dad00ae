package dev.kubeha.facts;

import dev.kubeha.facts.PreflightResult.Status;
import dev.kubeha.model.Cidr;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.Role;
import dev.kubeha.model.SupportedReleases;
import dev.kubeha.model.Version;
import dev.kubeha.model.Ports;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Turns every host's probed facts into pass, warn and fail verdicts before kubeha changes anything. */
public final class Preflight {
    /** kubeadm's NumCPU and Mem preflight minimums for a control plane. */
    public static final int MIN_CPUS = 2;
    public static final long MIN_MEMORY_MB = 1700;
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(2);
    public static final Version NFTABLES_MIN_KERNEL = new Version(5, 13, 0);
    public static final Set<String> ARCHES = Set.of("amd64", "arm64");

    /** What a Kubernetes minor does on a cgroup v1 node, from the first minor it applies to. */
    public record CgroupV1Rule(Version since, Status status, String reason) {
    }

    /** Newest first: the first rule whose {@code since} the cluster's version reaches applies. */
    public static final List<CgroupV1Rule> CGROUP_V1 = List.of(
            new CgroupV1Rule(new Version(1, 35, 0), Status.FAIL, "kubelet 1.35 and later refuses to start on "
                    + "cgroup v1 (failCgroupV1 defaults to true, KEP-5573); boot the host with cgroup v2 "
                    + "(systemd.unified_cgroup_hierarchy=1)"),
            new CgroupV1Rule(new Version(1, 31, 0), Status.WARN, "cgroup v1 is in maintenance mode since "
                    + "Kubernetes 1.31 (KEP-4569) and kubelet 1.35 refuses it; move the host to cgroup v2"));

    /** The command names (as /proc/PID/comm truncates them) of what kubeha's Kubernetes install listens with. */
    private static final Map<Integer, String> KUBERNETES_LISTENERS = Map.of(6443, "kube-apiserver",
            10250, "kubelet", 10257, "kube-controller", 10259, "kube-scheduler", 2379, "etcd", 2380, "etcd");
    /** Process names of a kubeadm node's listeners (comm is cut at 15 characters: kube-controller). */
    private static final Set<String> KUBERNETES_PROCESSES = Set.of("kube-apiserver", "kube-controller",
            "kube-scheduler", "kubelet", "etcd");
    /** The name of the check of a containerd already on a node against the Kubernetes minor. */
    public static final String CONTAINERD = "containerd";
    private static final List<String> NODE_MODULES = List.of("overlay", "br_netfilter");

    private Preflight() {
    }

    /** The checks of a first install: no host has a kubeha journal yet. */
    public static List<PreflightResult> check(ClusterSpec spec, Map<String, ProbedHost> probed) {
        return check(spec, probed, Set.of());
    }

    /**
     * Every check on every host of the spec, host by host in the spec's order, then the checks across hosts.
     *
     * @param probed the probed hosts by name; a host missing here fails the "facts" check
     * @param journaled the hosts with a journal of kubeha's earlier runs: what is installed there is kubeha's
     */
    public static List<PreflightResult> check(ClusterSpec spec, Map<String, ProbedHost> probed,
                                              Set<String> journaled) {
        List<PreflightResult> out = new ArrayList<>();
        Map<HostSpec, ProbedHost> found = new LinkedHashMap<>();
        for (HostSpec host : spec.hosts()) {
            ProbedHost p = probed.get(host.name());
            if (p == null) {
                out.add(PreflightResult.fail(host.name(), "facts", "the host's facts could not be probed"));
                continue;
            }
            found.put(host, p);
            out.addAll(host(spec, host, p, journaled.contains(host.name())));
        }
        out.add(unique("hostnames", found, h -> h.facts().hostname(), Status.WARN,
                "kubeha renames every host to its name in the answers file"));
        out.add(unique("machine-ids", found, h -> h.facts().machineId(), Status.FAIL,
                "cloned machines share a machine-id: run systemd-machine-id-setup on a fresh /etc/machine-id"));
        out.add(unique("product-uuids", found, h -> h.facts().productUuid(), Status.FAIL,
                "kubelet identifies nodes by product_uuid: give each virtual machine its own"));
        out.add(clockSkew(found));
        return out;
    }

    private static List<PreflightResult> host(ClusterSpec spec, HostSpec host, ProbedHost p, boolean journaled) {
        String h = host.name();
        HostFacts f = p.facts();
        boolean node = host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER);
        List<PreflightResult> out = new ArrayList<>();
        out.add(SupportedOs.find(f.osId(), f.osVersion())
                .map(r -> PreflightResult.pass(h, "os", r.name() + " " + f.osVersion()))
                .orElseGet(() -> PreflightResult.fail(h, "os", "'" + f.osId() + "' " + f.osVersion()
                        + " is not supported; kubeha supports " + SupportedOs.list())));
        out.add(ARCHES.contains(f.arch()) ? PreflightResult.pass(h, "arch", f.arch())
                : PreflightResult.fail(h, "arch", f.arch() + " is not supported; kubeha supports amd64 and arm64"));
        out.add(p.systemdIsPid1() ? PreflightResult.pass(h, "systemd", "systemd is PID 1")
                : PreflightResult.fail(h, "systemd", "PID 1 is '" + p.pid1()
                        + "', not systemd: kubeha runs every service as a systemd unit"));
        if (host.has(Role.CONTROL_PLANE)) {
            out.add(f.cpus() >= MIN_CPUS ? PreflightResult.pass(h, "cpus", f.cpus() + " CPUs")
                    : PreflightResult.fail(h, "cpus", f.cpus() + " CPU; a control plane needs at least " + MIN_CPUS
                            + " (kubeadm's NumCPU check)"));
            out.add(f.memoryMb() >= MIN_MEMORY_MB ? PreflightResult.pass(h, "memory", f.memoryMb() + " MB")
                    : PreflightResult.fail(h, "memory", f.memoryMb() + " MB; a control plane needs at least "
                            + MIN_MEMORY_MB + " MB (kubeadm's Mem check)"));
        }
        if (node) {
            out.add(f.swapMb() > 0 ? PreflightResult.warn(h, "swap", f.swapMb()
                    + " MB of swap is on; kubeha turns it off and keeps it off")
                    : PreflightResult.pass(h, "swap", "no swap"));
            out.add(cgroup(spec, h, f));
            out.add(modules(spec, h, p));
            containerd(spec, h, f).ifPresent(out::add);
            if (spec.network().proxyMode() == ProxyMode.NFTABLES) {
                out.add(KernelRelease.atLeast(f.kernel(), NFTABLES_MIN_KERNEL)
                        ? PreflightResult.pass(h, "kernel", f.kernel())
                        : PreflightResult.fail(h, "kernel", "kernel " + f.kernel() + " is older than "
                                + NFTABLES_MIN_KERNEL.minorLine() + ", which kube-proxy's nftables mode needs"));
            }
        }
        out.add(ports(spec, host, p, journaled));
        out.add(existing(h, p, journaled));
        if (!spec.loadBalancer().vip().isEmpty()) {
            out.add(vipFree(spec, host, p));
            if (host.has(Role.LOAD_BALANCER)) {
                out.add(vipSubnet(spec, host, f));
            }
        }
        return out;
    }

    private static PreflightResult cgroup(ClusterSpec spec, String h, HostFacts f) {
        if (f.cgroupVersion() == 2) {
            return PreflightResult.pass(h, "cgroup", "cgroup v2");
        }
        Optional<Version> version = Version.parse(spec.cluster().kubernetesVersion());
        Optional<CgroupV1Rule> rule = version.flatMap(v -> CGROUP_V1.stream()
                .filter(r -> v.compareTo(r.since()) >= 0).findFirst());
        return rule.map(r -> new PreflightResult(h, "cgroup", r.status(), "cgroup v1 with Kubernetes "
                        + spec.cluster().kubernetesVersion() + ": " + r.reason()))
                .orElseGet(() -> PreflightResult.pass(h, "cgroup", "cgroup v1"));
    }

    /**
     * What refuses an upgrade to {@code target} before anything changes: a Kubernetes node whose containerd is older
     * than the target minor runs with, since the upgrade replaces the Kubernetes packages and not the runtime; each
     * reason names the node and the recipe.
     */
    public static List<String> runtimeForUpgrade(ClusterSpec target, Map<String, HostFacts> facts) {
        Optional<KubernetesRelease> release = Version.parse(target.cluster().kubernetesVersion())
                .flatMap(SupportedReleases::forVersion);
        if (target.containerRuntime() != ContainerRuntime.CONTAINERD || release.isEmpty()) {
            return List.of();
        }
        KubernetesRelease k8s = release.get();
        List<String> out = new ArrayList<>();
        for (HostSpec host : target.hosts()) {
            Optional<Version> installed = Optional.ofNullable(facts.get(host.name()))
                    .flatMap(HostFacts::containerdVersion).flatMap(Version::parse);
            if ((host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER)) && installed.isPresent()
                    && installed.get().compareTo(k8s.oldestContainerd()) < 0) {
                out.add(host.name() + " runs containerd " + installed.get() + ", and Kubernetes " + k8s.minor()
                        + " needs at least " + k8s.oldestContainerd() + " (containerd recommends "
                        + String.join(", ", k8s.containerd().stream().map(c -> c + "+").toList())
                        + "); the upgrade does not replace the runtime: drain " + host.name() + ", upgrade its"
                        + " containerd and runc (containerd " + target.containerRuntimeArchives().containerdVersion(k8s)
                        + " is the release kubeha installs for " + k8s.minor() + "), restart containerd, uncordon it,"
                        + " then run the upgrade again");
            }
        }
        return out;
    }

    /**
     * A containerd already on a node against the Kubernetes minor: recommended by containerd (pass), older than
     * the kubelet runs with (fail), or anything else (warning). None when containerd is not installed or not used.
     */
    private static Optional<PreflightResult> containerd(ClusterSpec spec, String h, HostFacts f) {
        Optional<Version> installed = f.containerdVersion().flatMap(Version::parse);
        Optional<KubernetesRelease> release = Version.parse(spec.cluster().kubernetesVersion())
                .flatMap(SupportedReleases::forVersion);
        if (spec.containerRuntime() != ContainerRuntime.CONTAINERD || installed.isEmpty() || release.isEmpty()) {
            return Optional.empty();
        }
        Version v = installed.get();
        KubernetesRelease k8s = release.get();
        String recommended = String.join(", ", k8s.containerd().stream().map(c -> c + "+").toList());
        if (RuntimeSource.containerdFromArchive(spec, f)) {
            Version archive = spec.containerRuntimeArchives().containerdVersion(k8s);
            int order = v.compareTo(archive);
            if (order > 0) {
                return Optional.of(PreflightResult.fail(h, CONTAINERD, "containerd " + v + " is installed, newer"
                        + " than the " + archive + " kubeha installs from containerd's release archive for Kubernetes "
                        + k8s.minor() + "; set containerRuntimeInstall: distribution to keep it"));
            }
            return Optional.of(order == 0 ? PreflightResult.pass(h, CONTAINERD, "containerd " + v
                    + " from its release archive, recommended for Kubernetes " + k8s.minor())
                    : PreflightResult.warn(h, CONTAINERD, "containerd " + v + " is installed; apply replaces it"
                    + " with containerd " + archive + " from containerd's release archive (recommended for Kubernetes "
                    + k8s.minor() + ": " + recommended + ") and restarts it, which restarts no container"));
        }
        if (v.compareTo(k8s.oldestContainerd()) < 0) {
            return Optional.of(PreflightResult.fail(h, CONTAINERD, "containerd " + v + " is installed; Kubernetes "
                    + k8s.minor() + " needs at least " + k8s.oldestContainerd() + " (containerd recommends "
                    + recommended + "): upgrade containerd on this host first"));
        }
        if (k8s.containerdRecommended(v)) {
            return Optional.of(PreflightResult.pass(h, CONTAINERD, "containerd " + v + ", recommended for Kubernetes "
                    + k8s.minor()));
        }
        return Optional.of(PreflightResult.warn(h, CONTAINERD, "containerd " + v + " is installed; for Kubernetes "
                + k8s.minor() + " containerd recommends " + recommended + (v.major() < 2 ? "; containerd 1.x relies"
                + " on the kubelet's cgroup-driver fallback, which Kubernetes 1.38 removes (KEP-4033)" : "")));
    }

    private static PreflightResult modules(ClusterSpec spec, String h, ProbedHost p) {
        List<String> needed = new ArrayList<>(NODE_MODULES);
        if (spec.network().proxyMode() == ProxyMode.IPVS) {
            needed.addAll(FactsProbe.IPVS_MODULES);
        } else if (spec.network().proxyMode() == ProxyMode.NFTABLES) {
            needed.add("nf_tables");
        }
        needed.add(p.facts().conntrackModule());
        List<String> missing = needed.stream().filter(m -> !p.modules().contains(m)).toList();
        if (!missing.isEmpty()) {
            return PreflightResult.fail(h, "modules", "kernel module" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + (missing.size() > 1 ? " are" : " is")
                    + " missing (neither modinfo nor /sys/module knows " + (missing.size() > 1 ? "them" : "it") + ")");
        }
        return PreflightResult.pass(h, "modules", String.join(", ", needed));
    }

    private static PreflightResult ports(ClusterSpec spec, HostSpec host, ProbedHost p, boolean journaled) {
        String h = host.name();
        Set<Integer> probed = Set.copyOf(FactsProbe.ports(spec));
        Set<Integer> needed = new TreeSet<>();
        for (String port : Ports.of(spec, host)) {
            if (port.endsWith("/tcp")) {
                String[] range = port.substring(0, port.length() - 4).split("-");
                int from = Integer.parseInt(range[0]);
                int to = Integer.parseInt(range[range.length - 1]);
                probed.stream().filter(n -> n >= from && n <= to).forEach(needed::add);
            }
        }
        List<String> busy = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (int port : needed) {
            Set<String> holders = p.listeners().get(port);
            if (holders == null) {
                continue;
            }
            Optional<KubehaListener> kubeha = kubehaListener(spec, host, p, journaled, port);
            if (kubeha.isPresent() && !holders.isEmpty() && kubeha.get().processes().containsAll(holders)) {
                ours.add(port + " (kubeha's " + kubeha.get().name() + ")");
            } else {
                busy.add(port + " (" + (holders.isEmpty() ? "process unknown" : String.join(", ", holders)) + ")");
            }
        }
        if (!busy.isEmpty()) {
            return PreflightResult.fail(h, "ports", "in use: " + String.join(", ", busy));
        }
        String free = needed.stream().filter(n -> !p.listeners().containsKey(n)).map(String::valueOf)
                .collect(Collectors.joining(", "));
        return PreflightResult.pass(h, "ports", (free.isEmpty() ? "" : "free: " + free)
                + (!free.isEmpty() && !ours.isEmpty() ? "; " : "")
                + (ours.isEmpty() ? "" : "held by kubeha's earlier run: " + String.join(", ", ours)));
    }

    /** What kubeha runs on a port, and the process names that may hold it for kubeha. */
    private record KubehaListener(String name, Set<String> processes) {
    }

    /** The listener kubeha itself runs on this port of this host, when the probe shows kubeha installed it. */
    private static Optional<KubehaListener> kubehaListener(ClusterSpec spec, HostSpec host, ProbedHost p,
                                                           boolean journaled, int port) {
        ProbedHost.Installed installed = p.installed();
        if (host.has(Role.LOAD_BALANCER) && port == spec.loadBalancer().port() && installed.kubehaHaproxy()) {
            return Optional.of(new KubehaListener("haproxy", Set.of("haproxy")));
        }
        if (host.has(Role.ETCD) && (port == 2379 || port == 2380) && installed.kubehaEtcdUnit()) {
            return Optional.of(new KubehaListener("etcd", Set.of("etcd")));
        }
        if (journaled && (host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER))) {
            return Optional.ofNullable(KUBERNETES_LISTENERS.get(port))
                    .map(name -> new KubehaListener(name, KUBERNETES_PROCESSES));
        }
        return Optional.empty();
    }

    private static PreflightResult existing(String h, ProbedHost p, boolean journaled) {
        ProbedHost.Installed installed = p.installed();
        List<String> found = new ArrayList<>();
        if (installed.etcdData()) {
            found.add("etcd data");
        }
        found.addAll(installed.kubernetesFiles());
        String kubelet = installed.kubeletVersion().map(v -> "kubelet " + v + " is installed").orElse("");
        if (found.isEmpty()) {
            return PreflightResult.pass(h, "existing-install", kubelet.isEmpty() ? "nothing installed" : kubelet);
        }
        if (journaled) {
            return PreflightResult.pass(h, "existing-install", String.join(", ", found)
                    + " from kubeha's earlier run");
        }
        return PreflightResult.warn(h, "existing-install", String.join(", ", found)
                + " found, which kubeha did not install: run kubeha reset first, or clean the host by hand");
    }

    private static PreflightResult vipFree(ClusterSpec spec, HostSpec host, ProbedHost p) {
        String h = host.name();
        String vip = spec.loadBalancer().vip();
        if (!p.vipOnInterface()) {
            return PreflightResult.pass(h, "vip-free", vip + " is on none of its interfaces");
        }
        if (host.has(Role.LOAD_BALANCER) && p.installed().kubehaKeepalived()) {
            return PreflightResult.pass(h, "vip-free", vip + " is held by kubeha's keepalived from an earlier run");
        }
        return PreflightResult.fail(h, "vip-free", vip + " is already configured on "
                + holdingInterface(p.facts(), vip) + (host.has(Role.LOAD_BALANCER)
                ? ", not by kubeha's keepalived" : ", which is not a load-balancer host")
                + ": remove it, or choose a free VIP");
    }

    private static String holdingInterface(HostFacts f, String vip) {
        Optional<InetAddress> address = IpLiteral.parse(vip);
        return f.interfaces().stream().filter(i -> address.isPresent() && i.carries(address.get()))
                .map(NetInterface::name).findFirst().orElse("an interface");
    }

    private static PreflightResult vipSubnet(ClusterSpec spec, HostSpec host, HostFacts f) {
        String h = host.name();
        String vip = spec.loadBalancer().vip();
        Optional<InetAddress> vipAddress = IpLiteral.parse(vip);
        Optional<InetAddress> address = IpLiteral.parse(host.address());
        String configured = spec.loadBalancer().networkInterface();
        Optional<NetInterface> nic = f.interfaces().stream().filter(i -> configured.isEmpty()
                ? address.isPresent() && i.carries(address.get()) : i.name().equals(configured)).findFirst();
        if (nic.isEmpty()) {
            return PreflightResult.fail(h, "vip-subnet", (configured.isEmpty()
                    ? "no interface carries " + host.address() : "it has no interface " + configured)
                    + " (interfaces: " + f.interfaces().stream().map(i -> i.name() + " " + i.addresses())
                    .collect(Collectors.joining(", ")) + ")");
        }
        List<Cidr> subnets = nic.get().subnets();
        if (vipAddress.isPresent() && subnets.stream().anyMatch(s -> s.contains(vipAddress.get()))) {
            return PreflightResult.pass(h, "vip-subnet", vip + " is inside the subnet of " + nic.get().name());
        }
        return PreflightResult.fail(h, "vip-subnet", vip + " is outside " + nic.get().name() + "'s subnets "
                + subnets + ": keepalived can move a VIP only within one L2 subnet");
    }

    private static PreflightResult unique(String check, Map<HostSpec, ProbedHost> found,
                                          Function<ProbedHost, String> value, Status duplicate, String hint) {
        Map<String, List<String>> hostsByValue = new TreeMap<>();
        found.forEach((host, p) -> {
            String v = value.apply(p);
            if (!v.isEmpty()) {
                hostsByValue.computeIfAbsent(v, k -> new ArrayList<>()).add(host.name());
            }
        });
        List<String> shared = hostsByValue.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> String.join(", ", e.getValue()) + " share " + e.getKey()).toList();
        if (shared.isEmpty()) {
            int compared = hostsByValue.values().stream().mapToInt(List::size).sum();
            return PreflightResult.pass(PreflightResult.CLUSTER, check, "unique on the " + compared
                    + " host" + (compared == 1 ? "" : "s") + " that report one");
        }
        return new PreflightResult(PreflightResult.CLUSTER, check, duplicate, String.join("; ", shared) + "; "
                + hint);
    }

    private static PreflightResult clockSkew(Map<HostSpec, ProbedHost> found) {
        if (found.size() < 2) {
            return PreflightResult.pass(PreflightResult.CLUSTER, "clock-skew", "fewer than two hosts to compare");
        }
        Comparator<Map.Entry<HostSpec, ProbedHost>> byOffset = Comparator.comparing(e -> e.getValue().clockOffset());
        Map.Entry<HostSpec, ProbedHost> slowest = found.entrySet().stream().min(byOffset).orElseThrow();
        Map.Entry<HostSpec, ProbedHost> fastest = found.entrySet().stream().max(byOffset).orElseThrow();
        Duration skew = fastest.getValue().clockOffset().minus(slowest.getValue().clockOffset());
        Duration uncertainty = fastest.getValue().clockUncertainty().plus(slowest.getValue().clockUncertainty());
        String measured = seconds(skew) + " s (± " + seconds(uncertainty) + " s) between "
                + fastest.getKey().name() + " and " + slowest.getKey().name();
        if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            return PreflightResult.fail(PreflightResult.CLUSTER, "clock-skew", measured + "; at most "
                    + MAX_CLOCK_SKEW.toSeconds() + " s is allowed: synchronise the clocks (chrony, systemd-timesyncd)");
        }
        return PreflightResult.pass(PreflightResult.CLUSTER, "clock-skew", measured);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }
}
