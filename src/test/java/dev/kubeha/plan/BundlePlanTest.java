package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleException;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.bundle.BundleManifest;
import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.sources.SourceFiles;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a bundle, packages and images come from files pushed to each node, never from their repositories. */
class BundlePlanTest {
    @TempDir
    Path dir;

    /** The guide with the distribution's containerd. */
    private static final ClusterSpec SPEC = spec();

    private static ClusterSpec spec() {
        ClusterSpec guide = GuideSpecs.guide();
        return new ClusterSpec(guide.cluster(), guide.ssh(), guide.hosts(), guide.loadBalancer(), guide.network(),
                guide.etcd(), guide.containerRuntime(), RuntimeInstall.DISTRIBUTION, guide.addons());
    }

    /** The install plan of {@link #SPEC} with a bundle of these items (unpacked below the test's directory). */
    private Plan plan(Map<String, HostFacts> facts, BundleItem... items) {
        Bundle bundle = new Bundle(dir.resolve("unpacked"), new BundleManifest("1.36.3", List.of("amd64", "arm64"),
                "registry.k8s.io", List.of(items)));
        StateDir state = StateDir.at(dir.resolve("state"));
        return Install.WORKFLOW.plan(new ClusterWorkspace(SPEC, state, PhaseTable.SECRETS,
                EtcdPki.loadOrCreate(state, SPEC), ClusterCa.loadOrCreate(state)).planInput(facts,
                new AddonFiles(Optional.of(KubernetesPhasesTest.FLANNEL), Optional.of(new byte[] {1})),
                SourceFiles.NONE, Optional.of(bundle)));
    }

    @Test
    void nodesInstallTheBundlesPackagesAndImportItsImagesForTheirArchitectureOnly() {
        String sha = "ab".repeat(32);
        Plan plan = plan(new LinkedHashMap<>(FactsDefaults.forSpec(SPEC)),
                new BundleItem("debs/amd64/kubeadm_1.36.3-1.1_amd64.deb", BundleItem.Kind.DEB, "kubeadm",
                        "1.36.3-1.1", "amd64", sha, 3),
                new BundleItem("debs/arm64/kubeadm_1.36.3-1.1_arm64.deb", BundleItem.Kind.DEB, "kubeadm",
                        "1.36.3-1.1", "arm64", sha, 3),
                new BundleItem("debs/amd64/cri-tools_1.36.0-1.1_amd64.deb", BundleItem.Kind.DEB, "cri-tools",
                        "1.36.0-1.1", "amd64", sha, 3),
                new BundleItem("images/amd64/registry.k8s.io_pause_3.10.2.tar", BundleItem.Kind.IMAGE,
                        "registry.k8s.io/pause:3.10.2", "", "amd64", sha, 3));
        String worker = KubernetesPhasesTest.describe(plan, "worker1");
        assertTrue(worker.contains("copy " + dir.resolve("unpacked/debs/amd64/kubeadm_1.36.3-1.1_amd64.deb")
                + " to /var/lib/kubeha/bundle/debs/kubeadm_1.36.3-1.1_amd64.deb (sha256 " + sha + ")"), worker);
        String install = "apt-get install -y -q --no-install-recommends --allow-change-held-packages"
                + " --allow-downgrades /var/lib/kubeha/bundle/debs/kubeadm_1.36.3-1.1_amd64.deb";
        String all = install + " /var/lib/kubeha/bundle/debs/cri-tools_1.36.0-1.1_amd64.deb";
        assertTrue(worker.contains("{ " + all + " || { apt-get update -q && " + all + "; }; } && apt-mark hold"),
                worker);
        String criTools = worker.lines().filter(l -> l.startsWith("k8s.cri-tools")).findFirst().orElseThrow();
        String alone = "apt-get install -y -q --no-install-recommends --allow-change-held-packages"
                + " --allow-downgrades /var/lib/kubeha/bundle/debs/cri-tools_1.36.0-1.1_amd64.deb";
        assertTrue(criTools.contains("{ " + alone + " || { apt-get update -q && " + alone + "; }; }   (unless:"
                + " dpkg-query -W -f='${Status}' cri-tools"), criTools);
        assertFalse(criTools.contains("kubeadm"), "crictl's package goes in by itself, before the image import: "
                + criTools);
        assertTrue(worker.contains("to /var/lib/kubeha/bundle/images/registry.k8s.io_pause_3.10.2.tar"), worker);
        assertTrue(worker.contains("ctr -n k8s.io images import \"$f\""), worker);
        assertFalse(worker.contains("arm64"), worker);
        assertFalse(worker.contains("kubernetes.list"), worker);
        assertFalse(worker.contains("Release.key"), worker);
        assertFalse(worker.contains("crictl pull"), worker);
        String joining = KubernetesPhasesTest.describe(plan, "worker2");
        assertFalse(joining.contains("kubeadm config images pull"), joining);
        assertTrue(joining.contains("ctr -n k8s.io images import"), joining);
    }

    @Test
    void aBundleWithoutCrictlsPackageIsRefusedByName() {
        BundleException e = assertThrows(BundleException.class, () -> plan(
                new LinkedHashMap<>(FactsDefaults.forSpec(SPEC)),
                new BundleItem("debs/amd64/kubeadm_1.36.3-1.1_amd64.deb", BundleItem.Kind.DEB, "kubeadm",
                        "1.36.3-1.1", "amd64", "ab".repeat(32), 3)));
        assertEquals("the bundle has no cri-tools package for debian amd64", e.getMessage());
    }

    @Test
    void rpmNodesInstallTheBundlesRpmsFromPushedFilesWithDnfTryingNoRepositoryFirst() {
        String sha = "cd".repeat(32);
        Plan plan = plan(PhaseTable.facts(SPEC, OsFamily.RHEL),
                new BundleItem("debs/amd64/kubeadm_1.36.3-1.1_amd64.deb", BundleItem.Kind.DEB, "kubeadm",
                        "1.36.3-1.1", "amd64", sha, 3),
                new BundleItem("rpms/amd64/kubeadm-1.36.3-150500.1.1.x86_64.rpm", BundleItem.Kind.RPM, "kubeadm",
                        "1.36.3-150500.1.1", "amd64", sha, 3),
                new BundleItem("rpms/amd64/cri-tools-1.36.0-150500.1.1.x86_64.rpm", BundleItem.Kind.RPM,
                        "cri-tools", "1.36.0-150500.1.1", "amd64", sha, 3),
                new BundleItem("rpms/arm64/kubeadm-1.36.3-150500.1.1.aarch64.rpm", BundleItem.Kind.RPM, "kubeadm",
                        "1.36.3-150500.1.1", "arm64", sha, 3));
        String worker = KubernetesPhasesTest.describe(plan, "worker1");
        String packages = worker.lines().filter(l -> l.startsWith("k8s.packages")).findFirst().orElseThrow();
        assertTrue(packages.contains("copy " + dir.resolve("unpacked/rpms/amd64/kubeadm-1.36.3-150500.1.1.x86_64.rpm")
                + " to /var/lib/kubeha/bundle/rpms/kubeadm-1.36.3-150500.1.1.x86_64.rpm (sha256 " + sha + ")"),
                packages);
        assertTrue(packages.contains("to /var/lib/kubeha/bundle/rpms/cri-tools-1.36.0-150500.1.1.x86_64.rpm"),
                packages);
        String files = "/var/lib/kubeha/bundle/rpms/kubeadm-1.36.3-150500.1.1.x86_64.rpm"
                + " /var/lib/kubeha/bundle/rpms/cri-tools-1.36.0-150500.1.1.x86_64.rpm";
        assertTrue(packages.contains("(unless: for p in kubelet kubeadm kubectl; do test \"$(rpm -q --qf '%{VERSION}'"
                + " $p 2>/dev/null)\" = 1.36.3 || exit 1; done"), packages);
        assertTrue(packages.contains("flock -w 900 9 || exit 1; dnf install -y -q --disableexcludes=kubernetes"
                + " --disablerepo='*' " + files + " || dnf install -y -q --disableexcludes=kubernetes " + files
                + "   (unless"),
                packages);
        String criTools = worker.lines().filter(l -> l.startsWith("k8s.cri-tools")).findFirst().orElseThrow();
        String alone = "/var/lib/kubeha/bundle/rpms/cri-tools-1.36.0-150500.1.1.x86_64.rpm";
        assertTrue(criTools.contains("dnf install -y -q --disableexcludes=kubernetes --disablerepo='*' " + alone
                + " || dnf install -y -q --disableexcludes=kubernetes " + alone + "   (unless: rpm -q cri-tools"),
                criTools);
        for (String absent : List.of("aarch64", ".deb", "apt", "kubernetes.repo", "repomd.xml.key")) {
            assertFalse(worker.contains(absent), absent + " in\n" + worker);
        }
    }
}
