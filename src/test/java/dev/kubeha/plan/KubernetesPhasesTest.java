package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterInfo;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.KubernetesPackages;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubernetes phases planned for the guide's cluster on each OS family, step by step. */
class KubernetesPhasesTest {
    static final String FLANNEL = """
            kind: ConfigMap
            apiVersion: v1
            metadata:
              name: kube-flannel-cfg
              namespace: kube-flannel
            data:
              net-conf.json: |
                {
                  "Network": "10.244.0.0/16",
                  "Backend": {
                    "Type": "vxlan"
                  }
                }
            """;

    @TempDir
    Path dir;

    Plan plan(ClusterSpec spec, OsFamily family) {
        return Install.WORKFLOW.plan(input(spec, family));
    }

    PlanInput input(ClusterSpec spec, OsFamily family) {
        AddonFiles addons = new AddonFiles(Optional.of(FLANNEL), Optional.of(new byte[] {1, 2, 3}));
        return PhaseTable.input(spec, family, dir, addons);
    }

    static String describe(Plan plan, String host) {
        return plan.phases().stream().flatMap(p -> p.stepsOf(host).stream())
                .map(s -> s.id() + ": " + s.operations().stream().map(Operation::describe)
                        .collect(Collectors.joining("; ")) + s.verify().map(v -> " verify " + v.command()).orElse(""))
                .collect(Collectors.joining("\n"));
    }

    static Phase phase(Plan plan, String name) {
        return plan.phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void debianNodesUseAptContainerdsReleaseArchiveUfwAndNoSelinux() {
        String cp = describe(plan(GuideSpecs.guide(), OsFamily.DEBIAN), "worker1");
        assertTrue(cp.contains("write /etc/apt/sources.list.d/kubernetes.list"), cp);
        assertTrue(cp.contains("curl -fsSL --retry 3 https://pkgs.k8s.io/core:/stable:/v1.36/deb/Release.key"), cp);
        assertTrue(cp.contains("apt-get update -q -o Dir::Etc::sourcelist=sources.list.d/kubernetes.list"
                + " -o Dir::Etc::sourceparts=-"), cp);
        assertTrue(cp.contains("kubelet='1.36.3-*' kubeadm='1.36.3-*' kubectl='1.36.3-*'"
                + " && apt-mark hold kubelet kubeadm kubectl"), cp);
        assertTrue(cp.contains("install containerd, containerd-shim-runc-v2, ctr into /usr/local/bin from "
                + PhaseTable.CACHE + "/containerd/containerd-2.3.4-linux-amd64.tar.gz"), cp);
        assertFalse(cp.contains("--no-install-recommends containerd"), cp);
        assertTrue(cp.contains("ufw allow 6443/tcp"), cp);
        assertFalse(cp.contains("dnf "), cp);
        assertFalse(cp.contains("os.selinux"), cp);
        assertFalse(cp.contains("firewall-cmd"), cp);
    }

    @Test
    void rhelNodesUseDnfWithExcludesContainerdIoFirewalldAndPermissiveSelinux() {
        String cp = describe(plan(GuideSpecs.guide(), OsFamily.RHEL), "worker1");
        assertTrue(cp.contains("write /etc/yum.repos.d/kubernetes.repo"), cp);
        assertTrue(cp.contains("dnf install -y -q --disableexcludes=kubernetes kubelet-1.36.3 kubeadm-1.36.3"
                + " kubectl-1.36.3"), cp);
        assertTrue(cp.contains("write /etc/yum.repos.d/docker-ce.repo"), cp);
        assertTrue(cp.contains("dnf install -y -q containerd.io"), cp);
        assertTrue(cp.contains("firewall-cmd --permanent --add-port=6443/tcp"), cp);
        assertTrue(cp.contains("os.selinux: run setenforce 0"), cp);
        assertFalse(cp.contains("apt-get"), cp);
        assertFalse(cp.contains("Release.key"), cp);
    }

    static ClusterSpec pinned(ClusterSpec g, String repository, String fingerprint) {
        ClusterInfo c = g.cluster();
        return new ClusterSpec(new ClusterInfo(c.name(), c.kubernetesVersion(), c.imageRepository(), repository,
                fingerprint), g.ssh(), g.hosts(), g.loadBalancer(), g.network(), g.etcd(), g.containerRuntime(),
                g.addons());
    }

    @Test
    void aPinnedSigningKeyIsCheckedOnTheHostBeforeAptOrDnfTrustsIt() {
        ClusterSpec spec = pinned(GuideSpecs.guide(), "http://mirror.example/k8s",
                "770a 5a11 914a e205 2f38  df29 b9d5 fece 9cba 154e");
        String deb = describe(plan(spec, OsFamily.DEBIAN), "worker1");
        int check = deb.indexOf("gpg --batch --no-tty --show-keys --with-colons");
        assertTrue(check > 0, deb);
        assertTrue(deb.contains("770A5A11914AE2052F38DF29B9D5FECE9CBA154E"), deb);
        assertTrue(deb.contains("curl -fsSL --retry 3 http://mirror.example/k8s/core:/stable:/v1.36/deb/Release.key -o"), deb);
        assertTrue(check < deb.indexOf("mv /etc/apt/keyrings/kubernetes-apt-keyring.asc.tmp"), deb);
        assertTrue(deb.indexOf("mv /etc/apt/keyrings/kubernetes-apt-keyring.asc.tmp")
                < deb.indexOf("write /etc/apt/sources.list.d/kubernetes.list"), deb);
        assertTrue(deb.contains("apt-get install -y -q --no-install-recommends curl ca-certificates gpg"), deb);

        String rpm = describe(plan(spec, OsFamily.RHEL), "worker1");
        assertTrue(rpm.contains("curl -fsSL --retry 3 http://mirror.example/k8s/core:/stable:/v1.36/rpm/repodata/repomd.xml.key"), rpm);
        assertTrue(rpm.indexOf("gpg --batch --no-tty --show-keys") < rpm.indexOf("mv /etc/pki/rpm-gpg/kubernetes.asc.tmp"),
                rpm);
        assertTrue(rpm.contains("770A5A11914AE2052F38DF29B9D5FECE9CBA154E"), rpm);
    }

    @Test
    void theYumRepositoryTrustsOnlyTheKeyFileKubehaChecked() {
        ClusterSpec spec = pinned(GuideSpecs.guide(), "http://mirror.example/k8s",
                "770A5A11914AE2052F38DF29B9D5FECE9CBA154E");
        Map<String, HostFacts> facts = PhaseTable.facts(spec, OsFamily.RHEL);
        String repo = new String(KubernetesPackages.render(spec, facts).get(0).content(),
                StandardCharsets.UTF_8);
        assertTrue(repo.contains("gpgkey=file:///etc/pki/rpm-gpg/kubernetes.asc\n"), repo);
        assertFalse(repo.contains("mirror.example/k8s/core:/stable:/v1.36/rpm/repodata"), repo);
    }

    @Test
    void initRunsOnceOnTheFirstControlPlaneWithTheCaInPlaceAndJoinsGoThroughTheVip() {
        Plan plan = plan(GuideSpecs.guide(), OsFamily.DEBIAN);
        Phase init = phase(plan, Install.INIT);
        assertEquals(List.of("worker1"), List.copyOf(init.hosts()));
        String first = describe(plan, "worker1");
        assertTrue(first.indexOf("write /etc/kubernetes/pki/ca.key") < first.indexOf("kubeadm init"), first);
        assertTrue(first.contains("kubeadm config validate --config /etc/kubernetes/kubeadm-config.yaml && kubeadm"
                + " init --config /etc/kubernetes/kubeadm-config.yaml --upload-certs   (unless: test -f"
                + " /etc/kubernetes/admin.conf)"), first);
        assertFalse(describe(plan, "worker2").contains("kubeadm init"));
        Phase joins = phase(plan, Install.CONTROL_PLANE_JOIN);
        assertTrue(joins.oneHostAtATime());
        assertEquals(List.of("worker2"), List.copyOf(joins.hosts()));
        Step credentials = phase(plan, Install.JOIN_CREDENTIALS).steps().get(0);
        assertTrue(credentials.everyRun());
        assertTrue(describe(plan, "worker1").contains("kubeadm init phase upload-certs --upload-certs"));
        List<String> order = plan.phaseNames();
        assertTrue(order.indexOf(Install.JOIN_CREDENTIALS) < order.indexOf(Install.CONTROL_PLANE_JOIN), order::toString);
    }

    @Test
    void theJoinConfigurationPinsKubehasClusterCaAndUsesTheVip() {
        ClusterSpec spec = GuideSpecs.guide();
        Plan plan = plan(spec, OsFamily.DEBIAN);
        String hash = ClusterCa.loadOrCreate(StateDir.at(dir.resolve("state"))).caCertHash();
        WriteFile join = phase(plan, Install.CONTROL_PLANE_JOIN).steps().stream()
                .flatMap(s -> s.operations().stream()).filter(WriteFile.class::isInstance).map(WriteFile.class::cast)
                .filter(w -> w.file().path().endsWith("kubeadm-join.yaml")).findFirst().orElseThrow();
        assertTrue(join.file().text().contains("apiServerEndpoint: 10.0.8.100:16443"), join.file().text());
        assertTrue(join.file().text().contains("- " + hash), join.file().text());
        assertTrue(hash.matches("sha256:[0-9a-f]{64}"), hash);
    }

    @Test
    void anEtcdOlderThanKubeadmsMinimumIsTheOnlyIgnoredPreflightError() {
        ClusterSpec guide = GuideSpecs.guide();
        EtcdSpec e = guide.etcd();
        ClusterSpec debianEtcd = GuideSpecs.withEtcd(guide, new EtcdSpec("3.5.16", e.dataDir(), e.certDir(),
                e.keyAlgorithm(), e.certificateValidityDays(), EtcdInstall.PACKAGE, "", ""));
        assertTrue(describe(plan(debianEtcd, OsFamily.DEBIAN), "worker1")
                .contains("--upload-certs --ignore-preflight-errors=ExternalEtcdVersion"));
        assertFalse(describe(plan(guide, OsFamily.DEBIAN), "worker1").contains("ignore-preflight-errors"));
    }

    @Test
    void flannelAndKubePrometheusRunWithTheAdminKubeconfigAfterTheJoins() {
        Plan plan = plan(GuideSpecs.guide(), OsFamily.DEBIAN);
        String first = describe(plan, "worker1");
        assertTrue(first.contains("write /etc/kubernetes/kubeha/kube-flannel.yml"), first);
        assertTrue(first.contains("kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f"
                + " /etc/kubernetes/kubeha/kube-flannel.yml"), first);
        assertTrue(first.contains("apply --server-side -f manifests/setup"), first);
        assertTrue(first.indexOf("manifests/setup") < first.indexOf("condition=Established")
                && first.indexOf("condition=Established") < first.indexOf("apply --server-side -f manifests/ "),
                first);
        List<String> order = plan.phaseNames();
        assertTrue(order.indexOf(Install.CONTROL_PLANE_JOIN) < order.indexOf(Install.NETWORK));
        assertEquals(Install.VERIFY, order.get(order.size() - 1));
    }
}
