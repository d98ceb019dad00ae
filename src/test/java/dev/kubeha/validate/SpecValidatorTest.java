package dev.kubeha.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterInfo;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.LoadBalancerSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.Role;
import dev.kubeha.sources.Checksums;
import dev.kubeha.sources.Releases;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Rules whose outcome is a warning or a pass; the error cases live in the bad-answers corpus. */
class SpecValidatorTest {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    static final ClusterSpec GUIDE = AnswersFile.load(Path.of("assets/examples/guide.yaml")).spec().orElseThrow();

    static List<String> problems(ClusterSpec spec) {
        return new SpecValidator(TODAY).validate(spec).stream()
                .map(p -> p.severity().label() + " " + p.text()).toList();
    }

    static ClusterSpec withCluster(ClusterSpec s, ClusterInfo c) {
        return new ClusterSpec(c, s.ssh(), s.hosts(), s.loadBalancer(), s.network(), s.etcd(), s.containerRuntime(),
                s.addons());
    }

    static ClusterSpec withNetwork(ClusterSpec s, NetworkSpec n) {
        return new ClusterSpec(s.cluster(), s.ssh(), s.hosts(), s.loadBalancer(), n, s.etcd(), s.containerRuntime(),
                s.addons());
    }

    static ClusterSpec withEtcd(ClusterSpec s, EtcdSpec e) {
        return new ClusterSpec(s.cluster(), s.ssh(), s.hosts(), s.loadBalancer(), s.network(), e, s.containerRuntime(),
                s.addons());
    }

    @Test
    void guideHasOnlyItsTwoKnownWarnings() {
        assertEquals(List.of(
                "warning hosts: no host has the worker role; the control planes will run workloads (kubeha leaves their"
                        + " NoSchedule taint off)",
                "warning network.proxyMode: IPVS is deprecated since Kubernetes 1.35; nftables (kernel 5.13 or newer)"
                        + " or iptables is the way forward"), problems(GUIDE));
    }

    @Test
    void containerdsReleaseArchiveAskedForWithDockerIsWarnedAndOnlyThen() {
        String warning = "warning containerRuntimeInstall: archive is containerd's release archive, and"
                + " containerRuntime is docker: Docker Engine comes from the distribution (Docker's repository on the"
                + " RHEL family) whatever this says";
        for (ContainerRuntime runtime : ContainerRuntime.values()) {
            for (RuntimeInstall install : RuntimeInstall.values()) {
                ClusterSpec spec = new ClusterSpec(GUIDE.cluster(), GUIDE.ssh(), GUIDE.hosts(), GUIDE.loadBalancer(),
                        GUIDE.network(), GUIDE.etcd(), runtime, install, GUIDE.addons());
                assertEquals(runtime == ContainerRuntime.DOCKER && install == RuntimeInstall.ARCHIVE,
                        problems(spec).contains(warning), runtime + " " + install + ": " + problems(spec));
            }
        }
    }

    @Test
    void ipvsBeforeItsDeprecationIsFine() {
        ClusterSpec old = withCluster(GUIDE, new ClusterInfo("kubernetes", "1.34.2", "registry.k8s.io",
                "https://pkgs.k8s.io", ""));
        assertTrue(problems(old).stream().noneMatch(p -> p.contains("IPVS")));
        assertTrue(problems(old).contains("warning cluster.kubernetesVersion: 1.34 reached end of life on 2026-10-27"
                + " and gets no more security fixes"));
    }

    @Test
    void nftablesGetsNoIpvsWarning() {
        NetworkSpec n = GUIDE.network();
        ClusterSpec nft = withNetwork(GUIDE, new NetworkSpec(n.podSubnet(), n.serviceSubnet(), n.dnsDomain(),
                ProxyMode.NFTABLES, n.cni(), n.flannelBackend(), n.flannelManifest()));
        assertTrue(problems(nft).stream().noneMatch(p -> p.contains("proxyMode")));
    }

    @Test
    void olderEtcdThanKubeadmAcceptsIsAWarningNamingTheCheck() {
        EtcdSpec e = GUIDE.etcd();
        ClusterSpec debian = withEtcd(GUIDE, new EtcdSpec("3.5.16", e.dataDir(), e.certDir(), e.keyAlgorithm(),
                e.certificateValidityDays()));
        assertTrue(problems(debian).contains("warning etcd.version: 3.5.16 is older than 3.5.24, the oldest external"
                + " etcd kubeadm 1.36 accepts; kubeha will tell kubeadm init to ignore its ExternalEtcdVersion"
                + " preflight check"));
    }

    @Test
    void anArchiveSha256DifferentFromTheTablesIsAcceptedOnlyForALocalArchive() {
        EtcdSpec e = GUIDE.etcd();
        String table = Checksums.sha256(Releases.ETCD, "3.5.30", "arm64").orElseThrow();
        String rebuilt = "0".repeat(64);
        Function<String, ClusterSpec> local = sha -> withEtcd(GUIDE, new EtcdSpec("3.5.30", e.dataDir(), e.certDir(),
                e.keyAlgorithm(), e.certificateValidityDays(), EtcdInstall.ARCHIVE, "/srv/etcd-v3.5.30.tar.gz", sha));
        Function<String, ClusterSpec> download = sha -> withEtcd(GUIDE, new EtcdSpec("3.5.30", e.dataDir(),
                e.certDir(), e.keyAlgorithm(), e.certificateValidityDays(), EtcdInstall.ARCHIVE, "", sha));
        assertTrue(problems(download.apply(rebuilt)).stream().anyMatch(p -> p.startsWith("error etcd.archiveSha256: "
                + rebuilt + " is not the SHA-256 kubeha's checksum table lists")), problems(download.apply(rebuilt))
                .toString());
        assertTrue(problems(download.apply(table)).stream().noneMatch(p -> p.contains("etcd.archiveSha256")));
        assertTrue(problems(local.apply(rebuilt)).stream().noneMatch(p -> p.contains("etcd.archiveSha256")));
        ClusterSpec unlisted = withEtcd(GUIDE, new EtcdSpec("3.5.16", e.dataDir(), e.certDir(), e.keyAlgorithm(),
                e.certificateValidityDays(), EtcdInstall.ARCHIVE, "", rebuilt));
        assertTrue(problems(unlisted).stream().noneMatch(p -> p.startsWith("error")), problems(unlisted).toString());
    }

    @Test
    void stackedEtcdIgnoresTheEtcdVersionAndWarnsOnEvenControlPlanes() {
        ClusterSpec stacked = GUIDE.withHosts(GUIDE.hosts().stream().filter(h -> !h.has(Role.ETCD)).toList());
        EtcdSpec e = stacked.etcd();
        stacked = withEtcd(stacked, new EtcdSpec("nonsense", e.dataDir(), e.certDir(), e.keyAlgorithm(),
                e.certificateValidityDays()));
        List<String> found = problems(stacked);
        assertTrue(found.stream().noneMatch(p -> p.contains("etcd.version")), found.toString());
        assertTrue(found.contains("warning hosts: etcd runs stacked on 2 control planes: an even member count"
                + " tolerates no more failures than 1 members"));
    }

    @Test
    void anEvenExternalEtcdCountIsAWarningNamingAllowEven() {
        List<HostSpec> hosts = new ArrayList<>(GUIDE.hosts());
        hosts.add(new HostSpec("ceph4", "172.21.16.20", Set.of(Role.ETCD)));
        List<String> found = problems(GUIDE.withHosts(hosts));
        assertTrue(found.contains("warning hosts: 4 hosts have the etcd role: an even member count tolerates no more"
                + " failures than 3 members; apply refuses it without --allow-even"), found.toString());
        assertTrue(found.stream().noneMatch(p -> p.startsWith("error")), found.toString());
    }

    @Test
    void singleControlPlaneWithoutVipIsValidButNotHighlyAvailable() {
        ClusterSpec single = new ClusterSpec(ClusterInfo.DEFAULTS, GUIDE.ssh(),
                List.of(new HostSpec("solo", "192.168.1.10", Set.of(Role.CONTROL_PLANE, Role.WORKER))),
                LoadBalancerSpec.DEFAULTS, NetworkSpec.DEFAULTS, EtcdSpec.DEFAULTS, GUIDE.containerRuntime(),
                AddonsSpec.DEFAULTS);
        assertEquals(List.of("warning hosts: only one host has the control-plane role: the API server is not highly"
                + " available"), problems(single));
    }

    @Test
    void twoControlPlanesWithoutVipOrLoadBalancerNeedAVip() {
        ClusterSpec s = GUIDE.withHosts(GUIDE.hosts().stream().map(h -> h.has(Role.LOAD_BALANCER)
                ? new HostSpec(h.name(), h.address(), Set.of(Role.CONTROL_PLANE)) : h).toList());
        ClusterSpec noVip = new ClusterSpec(s.cluster(), s.ssh(), s.hosts(), LoadBalancerSpec.DEFAULTS, s.network(),
                s.etcd(), s.containerRuntime(), s.addons());
        assertTrue(problems(noVip).contains("error loadBalancer.vip: is required with more than one control plane"));
        ClusterSpec externalLb = new ClusterSpec(s.cluster(), s.ssh(), s.hosts(), new LoadBalancerSpec("10.0.8.100",
                6443, "", 51, s.loadBalancer().vrrp()), s.network(), s.etcd(), s.containerRuntime(), s.addons());
        assertTrue(problems(externalLb).stream().noneMatch(p -> p.startsWith("error")), problems(externalLb)
                .toString());
    }

    @Test
    void ipv6NetworksUseTheirOwnLimits() {
        NetworkSpec n = GUIDE.network();
        ClusterSpec v6 = withNetwork(GUIDE, new NetworkSpec("fd10::/56", "fd20::/112", n.dnsDomain(),
                ProxyMode.NFTABLES, n.cni(), n.flannelBackend(), n.flannelManifest()));
        assertTrue(problems(v6).stream().noneMatch(p -> p.contains("network.")), problems(v6).toString());
        ClusterSpec tooWide = withNetwork(GUIDE, new NetworkSpec("fd10::/56", "fd20::/100", n.dnsDomain(),
                ProxyMode.NFTABLES, n.cni(), n.flannelBackend(), n.flannelManifest()));
        assertTrue(problems(tooWide).contains("error network.serviceSubnet: /100 is larger than the API server allows"
                + " (at most /108 for IPv6)"));
    }

    @Test
    void hostNamesFollowRfc1123() {
        assertTrue(Names.isHostName("worker-1.dc1"));
        assertTrue(Names.isHostName("1worker"));
        assertTrue(!Names.isHostName("-worker") && !Names.isHostName("worker-") && !Names.isHostName("Worker"));
        assertTrue(!Names.isHostName("a".repeat(64)) && Names.isHostName("a".repeat(63)));
        assertTrue(!Names.isHostName("a..b") && !Names.isHostName(""));
    }

    @Test
    void plainPackageRepositoriesAndPinsAreAccepted() {
        for (String[] ok : new String[][] {
                {"https://pkgs.k8s.io", ""}, {"https://pkgs.k8s.io/", ""},
                {"https://mirrors.aliyun.com/kubernetes-new/", ""},
                {"https://pkgs.k8s.io", "770A5A11914AE2052F38DF29B9D5FECE9CBA154E"},
                {"http://192.168.233.1:8080", "770a5a11914ae2052f38df29b9d5fece9cba154e"},
                {"http://[fd00::1]:8080/k8s", "770A 5A11 914A E205 2F38  DF29 B9D5 FECE 9CBA 154E"},
                {"http://mirror.example/kubernetes", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"}}) {
            ClusterSpec spec = withCluster(GUIDE, new ClusterInfo("kubernetes", "1.36.3", "registry.k8s.io", ok[0],
                    ok[1]));
            assertTrue(problems(spec).stream().noneMatch(p -> p.contains("packageRepository")),
                    ok[0] + " " + ok[1] + ": " + problems(spec));
        }
    }
}
