package dev.kubeha.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.sources.Download;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which hosts a bundle must serve: each node's architecture and package family, each etcd member's architecture. */
class BundleCheckTest {
    private static final String SHA = "ef".repeat(32);
    private static final ClusterSpec SPEC = spec();

    private static ClusterSpec spec() {
        CheckedAnswers checked = CheckedAnswers.of(AnswersFile.parse("check.yaml", """
                cluster: {kubernetesVersion: "1.36.3"}
                hosts:
                  - {name: lb1, address: 10.0.8.2, roles: [load-balancer]}
                  - {name: lb2, address: 10.0.8.3, roles: [load-balancer]}
                  - {name: cp1, address: 10.0.8.4, roles: [control-plane]}
                  - {name: etcd1, address: 10.0.8.5, roles: [etcd]}
                loadBalancer: {vip: 10.0.8.100}
                network: {cni: none}
                etcd: {version: "3.5.24"}
                containerRuntimeInstall: distribution
                addons: {kubePrometheus: false}
                """), LocalDate.of(2026, 11, 22));
        return checked.validSpec().orElseThrow(() -> new AssertionError(checked.problems()));
    }

    /** The Kubernetes packages of one family for each architecture, kubeadm's images and the etcd archives. */
    private static Bundle bundle(List<String> arches, List<BundleItem.Kind> packageKinds, List<String> etcdArches) {
        List<BundleItem> items = new ArrayList<>();
        for (String arch : arches) {
            for (BundleItem.Kind kind : packageKinds) {
                for (String p : List.of("kubelet", "kubeadm", "kubectl")) {
                    String file = kind == BundleItem.Kind.DEB ? "debs/" + arch + "/" + p + "_1.36.3-1.1_" + arch
                            + ".deb" : "rpms/" + arch + "/" + p + "-1.36.3-150500.1.1." + RpmRepository.rpmArch(arch)
                            + ".rpm";
                    items.add(new BundleItem(file, kind, p, kind == BundleItem.Kind.DEB ? "1.36.3-1.1"
                            : "1.36.3-150500.1.1", arch, SHA, 1));
                }
            }
            for (String ref : BundleImages.kubeadm(SPEC)) {
                items.add(new BundleItem("images/" + arch + "/" + ref.replaceAll("[/:@]", "_") + ".tar",
                        BundleItem.Kind.IMAGE, ref, "", arch, SHA, 1));
            }
        }
        for (Download d : Releases.forArchitectures(SPEC, etcdArches, ReleaseSites.UPSTREAM)) {
            items.add(new BundleItem("releases/etcd/" + d.fileName(), BundleItem.Kind.RELEASE, d.component(),
                    d.version(), d.arch(), SHA, 1));
        }
        return new Bundle(Path.of("unpacked"), new BundleManifest("1.36.3", arches, "registry.k8s.io", items));
    }

    private static Map<String, HostFacts> facts(String... hostArchOs) {
        Map<String, HostFacts> out = new TreeMap<>(FactsDefaults.forSpec(SPEC));
        for (String entry : hostArchOs) {
            String[] f = entry.split(" ");
            HostFacts d = out.get(f[0]);
            boolean rpm = f.length > 2;
            out.put(f[0], new HostFacts(d.hostname(), rpm ? OsFamily.RHEL : OsFamily.DEBIAN, rpm ? f[2] : d.osId(),
                    rpm ? "9.4" : d.osVersion(), d.kernel(), f[1], d.cpus(), d.memoryMb(), d.swapMb(),
                    d.cgroupVersion(), d.machineId(), d.productUuid(), d.interfaces(), d.containerdVersion(),
                    d.conntrackModule(), d.sysctls(), false));
        }
        return out;
    }

    @Test
    void aLoadBalancerOnlyHostOfAnotherArchitectureNeedsNothingFromTheBundle() {
        Bundle amd64 = bundle(List.of("amd64"), List.of(BundleItem.Kind.DEB), List.of("amd64"));
        assertEquals(List.of(), BundleCheck.problems(SPEC, amd64, facts("lb1 arm64", "lb2 riscv64")));
    }

    @Test
    void anEtcdMemberOfAnotherArchitectureNeedsItsEtcdArchive() {
        Bundle amd64 = bundle(List.of("amd64"), List.of(BundleItem.Kind.DEB), List.of("amd64"));
        assertEquals(List.of("the bundle carries amd64 only, and a host runs arm64; make it with --arch amd64,arm64"),
                BundleCheck.problems(SPEC, amd64, facts("etcd1 arm64")));

        Bundle nodesOnly = bundle(List.of("amd64", "arm64"), List.of(BundleItem.Kind.DEB), List.of("amd64"));
        Download arm64Etcd = Releases.forArchitectures(SPEC, List.of("arm64"), ReleaseSites.UPSTREAM).getFirst();
        assertEquals(List.of("the bundle lacks " + arm64Etcd.title() + " (etcd-v3.5.24-linux-arm64.tar.gz); "
                        + arm64Etcd.instead("a local copy") + ", or make the bundle again"),
                BundleCheck.problems(SPEC, nodesOnly, facts("etcd1 arm64")));
        Bundle both = bundle(List.of("amd64", "arm64"), List.of(BundleItem.Kind.DEB), List.of("amd64", "arm64"));
        assertEquals(List.of(), BundleCheck.problems(SPEC, both, facts("etcd1 arm64")));
    }

    @Test
    void anRpmNodeNeedsTheBundlesRpmsForItsArchitectureAndNoDebs() {
        Bundle debs = bundle(List.of("amd64"), List.of(BundleItem.Kind.DEB), List.of("amd64"));
        assertEquals(List.of("cp1: runs rocky on amd64, and the bundle carries no rpm packages for amd64; make it with"
                + " kubeha bundle --rpm"), BundleCheck.problems(SPEC, debs, facts("cp1 amd64 rocky")));

        Bundle rpms = bundle(List.of("amd64"), List.of(BundleItem.Kind.RPM), List.of("amd64"));
        assertEquals(List.of(), BundleCheck.problems(SPEC, rpms, facts("cp1 amd64 rocky")));
        assertEquals(List.of("the bundle lacks the package kubelet 1.36.3 for amd64",
                "the bundle lacks the package kubeadm 1.36.3 for amd64",
                "the bundle lacks the package kubectl 1.36.3 for amd64"),
                BundleCheck.problems(SPEC, rpms, facts("cp1 amd64")));

        List<BundleItem> withoutKubectl = rpms.manifest().items().stream()
                .filter(i -> !i.name().equals("kubectl")).toList();
        Bundle partial = new Bundle(rpms.dir(), new BundleManifest("1.36.3", List.of("amd64"), "registry.k8s.io",
                withoutKubectl));
        assertEquals(List.of("the bundle lacks the rpm package kubectl 1.36.3 for amd64"),
                BundleCheck.problems(SPEC, partial, facts("cp1 amd64 almalinux")));
    }
}
