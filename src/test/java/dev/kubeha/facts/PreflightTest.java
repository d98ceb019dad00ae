package dev.kubeha.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.PreflightResult.Status;
import dev.kubeha.model.ClusterInfo;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.LoadBalancerSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.RuntimeArchive;
import dev.kubeha.model.RuntimeArchives;
import dev.kubeha.testing.GuideSpecs;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PreflightTest {
    private final ClusterSpec guide = GuideSpecs.guide();
    private final Map<String, Probed> hosts = new LinkedHashMap<>();

    PreflightTest() {
        guide.hosts().forEach(h -> hosts.put(h.name(), new Probed(h)));
    }

    private List<PreflightResult> check(ClusterSpec spec, Set<String> journaled) {
        Map<String, ProbedHost> probed = new LinkedHashMap<>();
        hosts.forEach((name, p) -> probed.put(name, p.build()));
        return Preflight.check(spec, probed, journaled);
    }

    private List<PreflightResult> check() {
        return check(guide, Set.of());
    }

    private static Optional<PreflightResult> find(List<PreflightResult> results, String host, String check) {
        return results.stream().filter(r -> r.host().equals(host) && r.check().equals(check)).findFirst();
    }

    private static PreflightResult result(List<PreflightResult> results, String host, String check) {
        return find(results, host, check).orElseThrow(() -> new AssertionError("no " + check + " on " + host
                + " in " + results));
    }

    private static void assertResult(Status status, String reason, PreflightResult result) {
        assertEquals(status, result.status(), result.toString());
        assertEquals(reason, result.reason());
    }

    private ClusterSpec withNetwork(ProxyMode mode) {
        NetworkSpec n = guide.network();
        return new ClusterSpec(guide.cluster(), guide.ssh(), guide.hosts(), guide.loadBalancer(),
                new NetworkSpec(n.podSubnet(), n.serviceSubnet(), n.dnsDomain(), mode, n.cni(), n.flannelBackend(),
                        n.flannelManifest()), guide.etcd(), guide.containerRuntime(), guide.addons());
    }

    private ClusterSpec withKubernetes(String version) {
        ClusterInfo c = guide.cluster();
        return new ClusterSpec(new ClusterInfo(c.name(), version, c.imageRepository(), c.packageRepository(),
                c.packageRepositoryKeyFingerprint()),
                guide.ssh(), guide.hosts(), guide.loadBalancer(), guide.network(), guide.etcd(),
                guide.containerRuntime(), guide.addons());
    }

    private ClusterSpec withVipInterface(String name) {
        LoadBalancerSpec lb = guide.loadBalancer();
        return new ClusterSpec(guide.cluster(), guide.ssh(), guide.hosts(),
                new LoadBalancerSpec(lb.vip(), lb.port(), name, lb.virtualRouterId(), lb.vrrp()), guide.network(),
                guide.etcd(), guide.containerRuntime(), guide.addons());
    }

    @Test
    void healthyHostsPassEveryCheckThatAppliesToThem() {
        List<PreflightResult> results = check();
        assertEquals(List.of(), results.stream().filter(r -> r.status() != Status.PASS).toList());
        for (HostSpec host : guide.hosts()) {
            for (String check : List.of("os", "arch", "systemd", "ports", "existing-install", "vip-free")) {
                result(results, host.name(), check);
            }
        }
        for (String check : List.of("cpus", "memory", "swap", "cgroup", "modules", "vip-subnet")) {
            result(results, "worker1", check);
            assertTrue(find(results, "ceph1", check).isEmpty(), check + " does not apply to an etcd host");
        }
        assertTrue(find(results, "worker1", "kernel").isEmpty(), "the kernel floor is nftables mode's");
        for (String check : List.of("hostnames", "machine-ids", "product-uuids", "clock-skew")) {
            result(results, PreflightResult.CLUSTER, check);
        }
        assertResult(Status.PASS, "Ubuntu 24.04", result(results, "ceph2", "os"));
        assertResult(Status.PASS, "free: 2379, 2380", result(results, "ceph2", "ports"));
        assertResult(Status.PASS, "free: 6443, 10250, 10257, 10259, 16443", result(results, "worker1", "ports"));
        assertResult(Status.PASS, "overlay, br_netfilter, ip_vs, ip_vs_rr, ip_vs_wrr, ip_vs_sh, nf_conntrack",
                result(results, "worker2", "modules"));
        assertFalse(PreflightResult.anyFailed(results));
    }

    @Test
    void anInstalledContainerdIsCheckedAgainstWhatContainerdRecommendsForTheMinor() {
        hosts.get("worker1").containerd = Optional.of("2.3.1");
        hosts.get("worker2").containerd = Optional.of("1.7.24");
        hosts.get("ceph1").containerd = Optional.of("1.6.9");
        List<PreflightResult> results = check(distribution("1.36.3"), Set.of());
        assertResult(Status.PASS, "containerd 2.3.1, recommended for Kubernetes 1.36",
                result(results, "worker1", "containerd"));
        assertResult(Status.WARN, "containerd 1.7.24 is installed; for Kubernetes 1.36 containerd recommends 2.3.0+,"
                + " 2.2.0+; containerd 1.x relies on the kubelet's cgroup-driver fallback, which Kubernetes 1.38"
                + " removes (KEP-4033)", result(results, "worker2", "containerd"));
        assertTrue(find(results, "ceph1", "containerd").isEmpty(), "an etcd host runs no kubelet");
        hosts.get("worker2").containerd = Optional.of("1.6.9");
        assertResult(Status.FAIL, "containerd 1.6.9 is installed; Kubernetes 1.34 needs at least 1.6.15 (containerd"
                + " recommends 2.1.3+, 2.0.6+, 1.7.28+, 1.6.39+): upgrade containerd on this host first",
                result(check(distribution("1.34.2"), Set.of()), "worker2", "containerd"));
        hosts.get("worker1").containerd = Optional.of("1.7.28");
        assertResult(Status.PASS, "containerd 1.7.28, recommended for Kubernetes 1.34",
                result(check(distribution("1.34.2"), Set.of()), "worker1", "containerd"));
        hosts.get("worker2").containerd = Optional.empty();
        assertTrue(find(check(), "worker2", "containerd").isEmpty(), "kubeha installs containerd where there is none");
    }

    @Test
    void onDebianAnOlderContainerdIsReplacedFromTheArchiveAndANewerOneRefused() {
        hosts.get("worker1").containerd = Optional.of("1.7.24");
        hosts.get("worker2").containerd = Optional.of("2.3.5");
        List<PreflightResult> results = check(withKubernetes("1.36.3"), Set.of());
        assertResult(Status.WARN, "containerd 1.7.24 is installed; apply replaces it with containerd 2.3.4 from"
                + " containerd's release archive (recommended for Kubernetes 1.36: 2.3.0+, 2.2.0+) and restarts it,"
                + " which restarts no container", result(results, "worker1", "containerd"));
        assertResult(Status.FAIL, "containerd 2.3.5 is installed, newer than the 2.3.4 kubeha installs from"
                + " containerd's release archive for Kubernetes 1.36; set containerRuntimeInstall: distribution to"
                + " keep it", result(results, "worker2", "containerd"));
        hosts.get("worker2").containerd = Optional.of("2.3.4");
        assertResult(Status.PASS, "containerd 2.3.4 from its release archive, recommended for Kubernetes 1.36",
                result(check(withKubernetes("1.36.3"), Set.of()), "worker2", "containerd"));
    }

    @Test
    void theContainerdTheAnswersGiveIsTheOneAnOlderContainerdIsReplacedWithAndANewerOneRefusedAgainst() {
        hosts.get("worker1").containerd = Optional.of("1.7.24");
        hosts.get("worker2").containerd = Optional.of("2.2.0");
        ClusterSpec s = GuideSpecs.withRuntimeArchives(withKubernetes("1.36.3"), new RuntimeArchives(
                new RuntimeArchive("2.1.9", "", "c5f756909e9d4b20c275b491625448fb3792b030b091c3749c0011b79ea3ff12"),
                RuntimeArchive.PINNED, RuntimeArchive.PINNED));
        List<PreflightResult> results = check(s, Set.of());
        assertResult(Status.WARN, "containerd 1.7.24 is installed; apply replaces it with containerd 2.1.9 from"
                + " containerd's release archive (recommended for Kubernetes 1.36: 2.3.0+, 2.2.0+) and restarts it,"
                + " which restarts no container", result(results, "worker1", "containerd"));
        assertResult(Status.FAIL, "containerd 2.2.0 is installed, newer than the 2.1.9 kubeha installs from"
                + " containerd's release archive for Kubernetes 1.36; set containerRuntimeInstall: distribution to"
                + " keep it", result(results, "worker2", "containerd"));
    }

    @Test
    void anUpgradeIsRefusedWhereANodesContainerdIsOlderThanTheTargetMinorRunsWithAndTheReasonGivesTheRecipe() {
        hosts.get("worker1").containerd = Optional.of("1.6.9");
        hosts.get("worker2").containerd = Optional.of("1.7.24");
        hosts.get("ceph1").containerd = Optional.of("1.6.9");
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        hosts.forEach((name, p) -> facts.put(name, p.build().facts()));
        assertEquals(List.of("worker1 runs containerd 1.6.9, and Kubernetes 1.36 needs at least 1.6.15 (containerd"
                + " recommends 2.3.0+, 2.2.0+); the upgrade does not replace the runtime: drain worker1, upgrade its"
                + " containerd and runc (containerd 2.3.4 is the release kubeha installs for 1.36), restart containerd,"
                + " uncordon it, then run the upgrade again"), Preflight.runtimeForUpgrade(withKubernetes("1.36.3"),
                facts), "an etcd host runs no kubelet; 1.7.24 still runs 1.36");
        hosts.get("worker1").containerd = Optional.of("1.6.15");
        facts.put("worker1", hosts.get("worker1").build().facts());
        assertEquals(List.of(), Preflight.runtimeForUpgrade(withKubernetes("1.36.3"), facts));
    }

    private ClusterSpec distribution(String kubernetes) {
        ClusterSpec s = withKubernetes(kubernetes);
        return new ClusterSpec(s.cluster(), s.ssh(), s.hosts(), s.loadBalancer(), s.network(), s.etcd(),
                s.containerRuntime(), RuntimeInstall.DISTRIBUTION, s.addons());
    }

    @Test
    void aHostWithoutFactsFails() {
        hosts.remove("ceph3");
        List<PreflightResult> results = check();
        assertResult(Status.FAIL, "the host's facts could not be probed", result(results, "ceph3", "facts"));
        assertTrue(find(results, "ceph3", "os").isEmpty());
        assertTrue(PreflightResult.anyFailed(results));
    }

    @Test
    void controlPlanesNeedTwoCpusAnd1700Mb() {
        hosts.get("worker1").cpus = 1;
        hosts.get("worker1").memoryMb = 1699;
        hosts.get("worker2").memoryMb = 1700;
        hosts.get("ceph1").cpus = 1;
        hosts.get("ceph1").memoryMb = 512;
        List<PreflightResult> results = check();
        assertResult(Status.FAIL, "1 CPU; a control plane needs at least 2 (kubeadm's NumCPU check)",
                result(results, "worker1", "cpus"));
        assertResult(Status.FAIL, "1699 MB; a control plane needs at least 1700 MB (kubeadm's Mem check)",
                result(results, "worker1", "memory"));
        assertResult(Status.PASS, "1700 MB", result(results, "worker2", "memory"));
        assertTrue(find(results, "ceph1", "cpus").isEmpty());
        assertTrue(find(results, "ceph1", "memory").isEmpty());
    }

    @Test
    void sharedMachineIdsAndProductUuidsFailNamingTheHosts() {
        hosts.get("ceph2").machineId = hosts.get("ceph1").machineId;
        hosts.get("ceph3").productUuid = "uuid-worker2";
        List<PreflightResult> results = check();
        assertResult(Status.FAIL, "ceph1, ceph2 share " + hosts.get("ceph1").machineId + "; cloned machines share "
                + "a machine-id: run systemd-machine-id-setup on a fresh /etc/machine-id",
                result(results, PreflightResult.CLUSTER, "machine-ids"));
        assertResult(Status.FAIL, "worker2, ceph3 share uuid-worker2; kubelet identifies nodes by product_uuid: "
                + "give each virtual machine its own", result(results, PreflightResult.CLUSTER, "product-uuids"));
    }

    @Test
    void containersWithoutTheirOwnProductUuidAreNotCompared() {
        hosts.values().forEach(p -> p.productUuid = "");
        hosts.get("worker1").productUuid = "only-one";
        assertResult(Status.PASS, "unique on the 1 host that report one",
                result(check(), PreflightResult.CLUSTER, "product-uuids"));
    }

    @Test
    void sharedHostnamesOnlyWarnBecauseKubehaRenamesEveryHost() {
        hosts.values().forEach(p -> p.hostname = "localhost");
        assertResult(Status.WARN, "worker1, worker2, ceph1, ceph2, ceph3 share localhost; kubeha renames every "
                + "host to its name in the answers file", result(check(), PreflightResult.CLUSTER, "hostnames"));
    }

    @Test
    void clockSkewAbove2SecondsFailsWithTheMeasuredSkew() {
        hosts.get("ceph1").offset = Duration.ofMillis(1500);
        hosts.get("worker2").offset = Duration.ofMillis(-600);
        assertResult(Status.FAIL, "2.100 s (± 0.040 s) between ceph1 and worker2; at most 2 s is allowed: "
                + "synchronise the clocks (chrony, systemd-timesyncd)",
                result(check(), PreflightResult.CLUSTER, "clock-skew"));
        hosts.get("ceph1").offset = Duration.ofMillis(1000);
        hosts.get("worker2").offset = Duration.ofMillis(-1000);
        assertResult(Status.PASS, "2.000 s (± 0.040 s) between ceph1 and worker2",
                result(check(), PreflightResult.CLUSTER, "clock-skew"));
    }

    @Test
    void clockSkewFromRealProbeOutputs() throws FactsException {
        Instant t = Instant.ofEpochSecond(1_786_000_000L);
        Map<String, ProbedHost> probed = Map.of(
                "worker1", FactsProbe.parse(guide, guide.hosts().get(0),
                        FactsProbeTest.fixture("probe-debian13-nspawn.txt"), "", t, t.plusMillis(400)),
                "ceph1", FactsProbe.parse(guide, guide.hosts().get(2), FactsProbeTest.fixture("probe-rocky8.txt"),
                        "", t.plusSeconds(10), t.plusSeconds(11)));
        PreflightResult skew = result(Preflight.check(guide, probed), PreflightResult.CLUSTER, "clock-skew");
        assertResult(Status.FAIL, "7.335 s (± 0.405 s) between worker1 and ceph1; at most 2 s is allowed: "
                + "synchronise the clocks (chrony, systemd-timesyncd)", skew);
    }

    @Test
    void portsInUseFailNamingPortAndProcess() {
        hosts.get("worker1").listening(6443, "nginx").listening(8080, "java");
        hosts.get("worker2").listening(10250);
        hosts.get("ceph1").listening(16443, "nginx");
        List<PreflightResult> results = check();
        assertResult(Status.FAIL, "in use: 6443 (nginx)", result(results, "worker1", "ports"));
        assertResult(Status.FAIL, "in use: 10250 (process unknown)", result(results, "worker2", "ports"));
        assertEquals(Status.PASS, result(results, "ceph1", "ports").status(), "an etcd host does not need 16443");
    }

    @Test
    void portsHeldByWhatKubehaInstalledPassOnARerun() {
        hosts.get("worker1").listening(16443, "haproxy").kubehaHaproxy = true;
        hosts.get("ceph1").listening(2379, "etcd").listening(2380, "etcd").kubehaEtcdUnit = true;
        hosts.get("worker2").listening(6443, "kube-apiserver").listening(10250, "kubelet")
                .listening(10257, "kube-controller").listening(10259, "kube-scheduler");
        List<PreflightResult> results = check(guide, Set.of("worker2"));
        assertResult(Status.PASS, "free: 6443, 10250, 10257, 10259; held by kubeha's earlier run: 16443 (kubeha's "
                + "haproxy)", result(results, "worker1", "ports"));
        assertResult(Status.PASS, "held by kubeha's earlier run: 2379 (kubeha's etcd), 2380 (kubeha's etcd)",
                result(results, "ceph1", "ports"));
        assertResult(Status.PASS, "free: 16443; held by kubeha's earlier run: 6443 (kubeha's kube-apiserver), "
                + "10250 (kubeha's kubelet), 10257 (kubeha's kube-controller), 10259 (kubeha's kube-scheduler)",
                result(results, "worker2", "ports"));
    }

    @Test
    void onAJournaledNodeAnyKubernetesComponentMayHoldItsPortsButNothingElse() {
        hosts.get("worker2").listening(6443, "kubelet").listening(10257, "kube-apiserver")
                .listening(10259, "kube-scheduler", "socat");
        List<PreflightResult> results = check(guide, Set.of("worker2"));
        assertResult(Status.FAIL, "in use: 10259 (kube-scheduler, socat)", result(results, "worker2", "ports"),
                "socat is not a Kubernetes component");
        hosts.get("worker2").listeners.remove(10259);
        assertEquals(Status.PASS, result(check(guide, Set.of("worker2")), "worker2", "ports").status());
        assertEquals(Status.FAIL, result(check(guide, Set.of()), "worker2", "ports").status(), "not journaled");
    }

    @Test
    void portsHeldByTheRightProgramWithoutKubehasConfigStillFail() {
        hosts.get("worker1").listening(16443, "haproxy");
        hosts.get("ceph1").listening(2379, "etcd").listening(2380, "etcd");
        hosts.get("ceph2").listening(2379, "etcd").kubehaEtcdUnit = true;
        hosts.get("ceph2").listening(2380, "etcd", "socat");
        hosts.get("worker2").listening(6443, "kube-apiserver");
        List<PreflightResult> results = check();
        assertResult(Status.FAIL, "in use: 16443 (haproxy)", result(results, "worker1", "ports"));
        assertResult(Status.FAIL, "in use: 2379 (etcd), 2380 (etcd)", result(results, "ceph1", "ports"));
        assertResult(Status.FAIL, "in use: 2380 (etcd, socat)", result(results, "ceph2", "ports"));
        assertResult(Status.FAIL, "in use: 6443 (kube-apiserver)", result(results, "worker2", "ports"),
                "not journaled: not kubeha's");
    }

    private static void assertResult(Status status, String reason, PreflightResult result, String why) {
        assertEquals(status, result.status(), why + ": " + result);
        assertEquals(reason, result.reason(), why);
    }

    @Test
    void aVipThatAnswersWhileNoHostHoldsItIsTaken() {
        Map<String, ProbedHost> probed = new LinkedHashMap<>();
        hosts.forEach((name, p) -> probed.put(name, p.build()));
        List<InetAddress> asked = new ArrayList<>();
        assertResult(Status.FAIL, "10.0.8.100 answers from the network but no host of this cluster holds it: "
                + "another machine uses it", VipReply.check(guide, probed, a -> asked.add(a)).orElseThrow());
        assertEquals("10.0.8.100", asked.get(0).getHostAddress());
        assertResult(Status.PASS, "10.0.8.100 does not answer: it is free",
                VipReply.check(guide, probed, a -> false).orElseThrow());
        hosts.get("worker1").vipOnInterface = true;
        hosts.forEach((name, p) -> probed.put(name, p.build()));
        assertResult(Status.PASS, "10.0.8.100 is held by a host of this cluster",
                VipReply.check(guide, probed, a -> {
                    throw new AssertionError("a held VIP is not pinged");
                }).orElseThrow());
    }

    @Test
    void theVipOnANonLoadBalancerHostFails() {
        hosts.get("ceph2").vipOnInterface = true;
        hosts.get("ceph2").interfaces.add(new NetInterface("eth1", List.of("10.0.8.100/32")));
        assertResult(Status.FAIL, "10.0.8.100 is already configured on eth1, which is not a load-balancer host: "
                + "remove it, or choose a free VIP", result(check(), "ceph2", "vip-free"));
    }

    @Test
    void theVipOnALoadBalancerHostPassesOnlyWhenKubehasKeepalivedHoldsIt() {
        Probed lb = hosts.get("worker1");
        lb.vipOnInterface = true;
        lb.interfaces.set(1, new NetInterface("eth0", List.of("10.0.8.6/24", "10.0.8.100/32")));
        assertResult(Status.FAIL, "10.0.8.100 is already configured on eth0, not by kubeha's keepalived: remove it, "
                + "or choose a free VIP", result(check(), "worker1", "vip-free"));
        lb.kubehaKeepalived = true;
        assertResult(Status.PASS, "10.0.8.100 is held by kubeha's keepalived from an earlier run",
                result(check(), "worker1", "vip-free"));
        assertResult(Status.PASS, "10.0.8.100 is on none of its interfaces", result(check(), "ceph1", "vip-free"));
    }

    @Test
    void theVipMustBeInTheSubnetOfTheLoadBalancersInterface() {
        hosts.get("worker1").interfaces.set(1, new NetInterface("ens192", List.of("10.0.8.6/26")));
        hosts.get("worker2").interfaces.set(1, new NetInterface("ens192", List.of("10.0.9.12/24")));
        List<PreflightResult> results = check();
        assertResult(Status.FAIL, "10.0.8.100 is outside ens192's subnets [10.0.8.0/26]: keepalived can move a VIP "
                + "only within one L2 subnet", result(results, "worker1", "vip-subnet"));
        assertResult(Status.FAIL, "no interface carries 10.0.8.12 (interfaces: lo [127.0.0.1/8], ens192 "
                + "[10.0.9.12/24])", result(results, "worker2", "vip-subnet"));
        assertTrue(find(results, "ceph1", "vip-subnet").isEmpty());
    }

    @Test
    void aConfiguredVipInterfaceIsTheOneChecked() {
        hosts.get("worker1").interfaces.add(new NetInterface("vlan8", List.of("10.0.8.200/24")));
        hosts.get("worker1").interfaces.set(1, new NetInterface("eth0", List.of("10.0.8.6/26")));
        List<PreflightResult> results = check(withVipInterface("vlan8"), Set.of());
        assertResult(Status.PASS, "10.0.8.100 is inside the subnet of vlan8", result(results, "worker1",
                "vip-subnet"));
        assertResult(Status.FAIL, "it has no interface vlan8 (interfaces: lo [127.0.0.1/8], eth0 [10.0.8.12/24])",
                result(results, "worker2", "vip-subnet"));
    }

    @Test
    void missingKernelModulesFailByName() {
        hosts.get("worker1").modules.removeAll(Set.of("br_netfilter", "ip_vs_sh"));
        hosts.get("worker2").modules.remove("nf_conntrack");
        hosts.get("ceph1").modules.clear();
        List<PreflightResult> results = check();
        assertResult(Status.FAIL, "kernel modules br_netfilter, ip_vs_sh are missing (neither modinfo nor "
                + "/sys/module knows them)", result(results, "worker1", "modules"));
        assertResult(Status.FAIL, "kernel module nf_conntrack is missing (neither modinfo nor /sys/module knows it)",
                result(results, "worker2", "modules"));
        assertTrue(find(results, "ceph1", "modules").isEmpty(), "etcd hosts need no Kubernetes modules");
    }

    @Test
    void theModulesNeededFollowTheProxyModeAndTheConntrackModule() {
        Probed w = hosts.get("worker1");
        w.modules.removeAll(Set.of("ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh", "nf_tables"));
        assertResult(Status.PASS, "overlay, br_netfilter, nf_conntrack",
                result(check(withNetwork(ProxyMode.IPTABLES), Set.of()), "worker1", "modules"));
        assertResult(Status.FAIL, "kernel module nf_tables is missing (neither modinfo nor /sys/module knows it)",
                result(check(withNetwork(ProxyMode.NFTABLES), Set.of()), "worker1", "modules"));
        w.conntrack = ConntrackModule.LEGACY_IPV4;
        assertResult(Status.FAIL, "kernel module nf_conntrack_ipv4 is missing (neither modinfo nor /sys/module "
                + "knows it)", result(check(withNetwork(ProxyMode.IPTABLES), Set.of()), "worker1", "modules"));
    }

    @Test
    void cgroupV1FailsFrom135AndWarnsBefore() {
        hosts.get("worker1").cgroupVersion = 1;
        hosts.get("ceph1").cgroupVersion = 1;
        assertResult(Status.FAIL, "cgroup v1 with Kubernetes 1.36.3: kubelet 1.35 and later refuses to start on "
                + "cgroup v1 (failCgroupV1 defaults to true, KEP-5573); boot the host with cgroup v2 "
                + "(systemd.unified_cgroup_hierarchy=1)", result(check(), "worker1", "cgroup"));
        assertEquals(Status.FAIL, result(check(withKubernetes("1.35.0"), Set.of()), "worker1", "cgroup").status());
        assertEquals(Status.WARN, result(check(withKubernetes("1.34.4"), Set.of()), "worker1", "cgroup").status());
        assertEquals(Status.WARN, result(check(withKubernetes("1.32.9"), Set.of()), "worker1", "cgroup").status());
        assertResult(Status.PASS, "cgroup v1", result(check(withKubernetes("1.30.2"), Set.of()), "worker1",
                "cgroup"));
        assertResult(Status.PASS, "cgroup v2", result(check(), "worker2", "cgroup"));
        assertTrue(find(check(), "ceph1", "cgroup").isEmpty(), "etcd runs fine on cgroup v1");
    }

    @Test
    void swapOnlyWarns() {
        hosts.get("worker2").swapMb = 2047;
        assertResult(Status.WARN, "2047 MB of swap is on; kubeha turns it off and keeps it off",
                result(check(), "worker2", "swap"));
    }

    @Test
    void nftablesModeNeedsKernel513() {
        hosts.get("worker1").kernel = "5.10.0-35-amd64";
        hosts.get("worker2").kernel = "5.13.0";
        List<PreflightResult> results = check(withNetwork(ProxyMode.NFTABLES), Set.of());
        assertResult(Status.FAIL, "kernel 5.10.0-35-amd64 is older than 5.13, which kube-proxy's nftables mode "
                + "needs", result(results, "worker1", "kernel"));
        assertResult(Status.PASS, "5.13.0", result(results, "worker2", "kernel"));
        assertTrue(find(check(), "worker1", "kernel").isEmpty());
    }

    @Test
    void existingDataKubehaDidNotJournalWarnsToResetFirst() {
        hosts.get("ceph1").etcdData = true;
        hosts.get("worker1").kubernetesFiles.addAll(List.of("/etc/kubernetes/manifests/kube-apiserver.yaml",
                "/etc/kubernetes/admin.conf"));
        hosts.get("worker2").kubelet = Optional.of("1.29.4");
        List<PreflightResult> results = check(guide, Set.of("ceph1"));
        assertResult(Status.PASS, "etcd data from kubeha's earlier run", result(results, "ceph1", "existing-install"));
        assertResult(Status.WARN, "/etc/kubernetes/manifests/kube-apiserver.yaml, /etc/kubernetes/admin.conf found, "
                + "which kubeha did not install: run kubeha reset first, or clean the host by hand",
                result(results, "worker1", "existing-install"));
        assertResult(Status.PASS, "kubelet 1.29.4 is installed", result(results, "worker2", "existing-install"));
        assertEquals(Status.WARN, result(check(), "ceph1", "existing-install").status());
    }

    @Test
    void systemdMustBePid1() {
        hosts.get("ceph3").pid1 = "process_api";
        assertResult(Status.FAIL, "PID 1 is 'process_api', not systemd: kubeha runs every service as a systemd "
                + "unit", result(check(), "ceph3", "systemd"));
    }

    @Test
    void onlySupportedOperatingSystemsAndArchitecturesPass() {
        String list = "Debian 12/13, Ubuntu 22.04/24.04, RHEL 8/9/10, Rocky Linux 8/9/10, AlmaLinux 8/9/10, "
                + "CentOS Stream 9/10";
        hosts.get("ceph1").osId = "debian";
        hosts.get("ceph1").osVersion = "11";
        hosts.get("ceph2").osId = "rocky";
        hosts.get("ceph2").osVersion = "9.6";
        hosts.get("ceph3").osId = "centos";
        hosts.get("ceph3").osVersion = "8";
        hosts.get("worker1").osId = "almalinux";
        hosts.get("worker1").osVersion = "10.0";
        hosts.get("worker2").arch = "ppc64le";
        List<PreflightResult> results = check();
        assertResult(Status.FAIL, "'debian' 11 is not supported; kubeha supports " + list,
                result(results, "ceph1", "os"));
        assertResult(Status.PASS, "Rocky Linux 9.6", result(results, "ceph2", "os"));
        assertResult(Status.FAIL, "'centos' 8 is not supported; kubeha supports " + list,
                result(results, "ceph3", "os"));
        assertResult(Status.PASS, "AlmaLinux 10.0", result(results, "worker1", "os"));
        assertResult(Status.FAIL, "ppc64le is not supported; kubeha supports amd64 and arm64",
                result(results, "worker2", "arch"));
        assertResult(Status.PASS, "amd64", result(results, "ceph2", "arch"));
        hosts.get("ceph2").arch = "arm64";
        assertResult(Status.PASS, "arm64", result(check(), "ceph2", "arch"));
    }
}
