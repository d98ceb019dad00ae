package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.bundle.BundleManifest;
import dev.kubeha.facts.FactsDefaults;
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

    @Test
    void nodesInstallTheBundlesPackagesAndImportItsImagesForTheirArchitectureOnly() {
        ClusterSpec guide = GuideSpecs.guide();
        ClusterSpec spec = new ClusterSpec(guide.cluster(), guide.ssh(), guide.hosts(), guide.loadBalancer(),
                guide.network(), guide.etcd(), guide.containerRuntime(), RuntimeInstall.DISTRIBUTION, guide.addons());
        String sha = "ab".repeat(32);
        Bundle bundle = new Bundle(dir.resolve("unpacked"), new BundleManifest("1.36.3", List.of("amd64", "arm64"),
                "registry.k8s.io", List.of(
                new BundleItem("debs/amd64/kubeadm_1.36.3-1.1_amd64.deb", BundleItem.Kind.DEB, "kubeadm",
                        "1.36.3-1.1", "amd64", sha, 3),
                new BundleItem("debs/arm64/kubeadm_1.36.3-1.1_arm64.deb", BundleItem.Kind.DEB, "kubeadm",
                        "1.36.3-1.1", "arm64", sha, 3),
                new BundleItem("images/amd64/registry.k8s.io_pause_3.10.2.tar", BundleItem.Kind.IMAGE,
                        "registry.k8s.io/pause:3.10.2", "", "amd64", sha, 3))));
        Map<String, HostFacts> facts = new LinkedHashMap<>(FactsDefaults.forSpec(spec));
        StateDir state = StateDir.at(dir.resolve("state"));
        Plan plan = Install.WORKFLOW.plan(new ClusterWorkspace(spec, state, PhaseTable.SECRETS,
                EtcdPki.loadOrCreate(state, spec), ClusterCa.loadOrCreate(state)).planInput(facts,
                new AddonFiles(Optional.of(KubernetesPhasesTest.FLANNEL), Optional.of(new byte[] {1})),
                SourceFiles.NONE, Optional.of(bundle)));
        String worker = KubernetesPhasesTest.describe(plan, "worker1");
        assertTrue(worker.contains("copy " + dir.resolve("unpacked/debs/amd64/kubeadm_1.36.3-1.1_amd64.deb")
                + " to /var/lib/kubeha/bundle/debs/kubeadm_1.36.3-1.1_amd64.deb (sha256 " + sha + ")"), worker);
        String install = "apt-get install -y -q --no-install-recommends --allow-change-held-packages"
                + " --allow-downgrades /var/lib/kubeha/bundle/debs/kubeadm_1.36.3-1.1_amd64.deb";
        assertTrue(worker.contains("{ " + install + " || { apt-get update -q && " + install + "; }; } && apt-mark hold"),
                worker);
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
}
