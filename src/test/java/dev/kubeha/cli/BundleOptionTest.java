package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.AnswersWriter;
import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.LoadBalancerSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.TestBundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate takes a bundle, checks every file and checks it against the answers; it never connects to a host. */
class BundleOptionTest {
    @TempDir
    Path dir;

    /** The guide with etcd and flannel from local files and no kube-prometheus: nothing to download. */
    Path answers() throws IOException {
        ClusterSpec s = GuideSpecs.guide();
        LoadBalancerSpec lb = s.loadBalancer();
        NetworkSpec net = s.network();
        EtcdSpec e = s.etcd();
        Path flannel = Files.writeString(dir.resolve("kube-flannel.yml"), "kind: List\n");
        Path etcd = Files.writeString(dir.resolve("etcd-v3.6.9-linux-amd64.tar.gz"), "x");
        s = new ClusterSpec(s.cluster(), s.ssh(), s.hosts(), new LoadBalancerSpec(lb.vip(), lb.port(),
                lb.networkInterface(), lb.virtualRouterId(), lb.vrrp()), new NetworkSpec(net.podSubnet(),
                net.serviceSubnet(), net.dnsDomain(), net.proxyMode(), net.cni(), net.flannelBackend(),
                flannel.toString()), new EtcdSpec(e.version(), e.dataDir(), e.certDir(), e.keyAlgorithm(),
                e.certificateValidityDays(), e.install(), etcd.toString(), ""), s.containerRuntime(),
                RuntimeInstall.DISTRIBUTION, new AddonsSpec(false, ""));
        return Files.writeString(dir.resolve("cluster.yaml"), AnswersWriter.toYaml(s));
    }

    Path bundle(ClusterSpec spec) throws IOException {
        return TestBundles.write(dir, spec);
    }

    @Test
    void validateAcceptsAFittingBundleAndRefusesOneForAnotherVersion() throws IOException {
        Path answers = answers();
        ClusterSpec spec = AnswersFile.load(answers).spec().orElseThrow();
        Path tar = bundle(spec);
        CliRunner.Run ok = CliRunner.run("validate", "-f", answers.toString(), "--bundle", tar.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.err().contains("every file matches its SHA-256 and it fits the answers"), ok.err());

        Files.writeString(answers, Files.readString(answers).replace("1.36.3", "1.36.2"));
        CliRunner.Run other = CliRunner.run("validate", "-f", answers.toString(), "--bundle", tar.toString());
        assertEquals(1, other.code(), other.out() + other.err());
        assertTrue(other.err().contains("the bundle is for Kubernetes 1.36.3, but cluster.kubernetesVersion is"
                + " 1.36.2"), other.err());
    }

    @Test
    void validateNamesEveryImageTheAnswersNeedThatTheBundleLacksWithoutAStackTrace() throws IOException {
        Path answers = answers();
        Path tar = bundle(AnswersFile.load(answers).spec().orElseThrow());
        Files.writeString(dir.resolve("kube-flannel.yml"), "spec:\n  containers:\n"
                + "      - name: kube-flannel\n        image: ghcr.io/flannel-io/flannel:v0.28.0\n");
        CliRunner.Run run = CliRunner.run("validate", "-f", answers.toString(), "--bundle", tar.toString());
        assertEquals(1, run.code(), run.out() + run.err());
        assertEquals("kubeha: " + tar + ": the bundle lacks the image ghcr.io/flannel-io/flannel:v0.28.0 for amd64\n",
                run.err(), run.err());
    }

    @Test
    void validateChecksTheBundleAgainstTheArchitecturesOfTheHostsInAFactsFile() throws IOException {
        Path answers = answers();
        ClusterSpec spec = AnswersFile.load(answers).spec().orElseThrow();
        Path tar = bundle(spec);
        String worker = spec.hosts().get(spec.hosts().size() - 1).name();
        Path facts = Files.writeString(dir.resolve("facts.yaml"), worker + ":\n  arch: arm64\n");
        CliRunner.Run run = CliRunner.run("validate", "-f", answers.toString(), "--bundle", tar.toString(),
                "--facts", facts.toString());
        assertEquals(1, run.code(), run.out() + run.err());
        assertEquals("kubeha: " + tar + ": the bundle carries amd64 only, and a host runs arm64; make it with --arch"
                + " amd64,arm64\n", run.err(), run.err());

        Files.writeString(facts, worker + ":\n  arch: amd64\n");
        CliRunner.Run fits = CliRunner.run("validate", "-f", answers.toString(), "--bundle", tar.toString(),
                "--facts", facts.toString());
        assertEquals(0, fits.code(), fits.out() + fits.err());
        assertTrue(fits.err().contains("the architectures of the hosts in " + facts), fits.err());
    }

    @Test
    void validateNamesTheRuntimeReleasesTheAnswersGiveThatTheBundleLacks() throws IOException {
        Path answers = answers();
        Path tar = bundle(AnswersFile.load(answers).spec().orElseThrow());
        String sha = "c5f756909e9d4b20c275b491625448fb3792b030b091c3749c0011b79ea3ff12";
        Files.writeString(answers, Files.readString(answers).replaceFirst("containerRuntimeInstall: distribution",
                "containerRuntimeInstall: archive\ncontainerRuntimeArchives:\n  containerd: {version: \"2.1.9\","
                + " archiveSha256: " + sha + "}"));
        CliRunner.Run run = CliRunner.run("validate", "-f", answers.toString(), "--bundle", tar.toString());
        assertEquals(1, run.code(), run.out() + run.err());
        String mirror = ", serve it from a release mirror (--release-mirror URL), or set containerRuntimeInstall:"
                + " distribution, or make the bundle again";
        String lacks = "kubeha: " + tar + ": the bundle lacks ";
        assertEquals(lacks + "containerd 2.1.9 linux-amd64 (containerd-2.1.9-linux-amd64.tar.gz); set"
                + " containerRuntimeArchives.containerd.archive to a local copy" + mirror + "\n"
                + lacks + "runc 1.4.3 linux-amd64 (runc-1.4.3.amd64); set containerRuntimeArchives.runc.archive to a"
                + " local copy" + mirror + "\n"
                + lacks + "cni-plugins 1.9.1 linux-amd64 (cni-plugins-linux-amd64-v1.9.1.tgz); set"
                + " containerRuntimeArchives.cniPlugins.archive to a local copy" + mirror + "\n", run.err());
    }

    @Test
    void validateWithFactsRefusesABundleWithoutRpmsForAnRpmHostByName() throws IOException {
        Path answers = answers();
        Path tar = bundle(AnswersFile.load(answers).spec().orElseThrow());
        Path facts = Files.writeString(dir.resolve("facts.yaml"), "worker2:\n  osId: rocky\n  osVersion: \"9.4\"\n");
        CliRunner.Run run = CliRunner.run("validate", "-f", answers.toString(), "--bundle", tar.toString(),
                "--facts", facts.toString());
        assertEquals(1, run.code(), run.out() + run.err());
        assertEquals("kubeha: " + tar + ": worker2: runs rocky on amd64, and the bundle carries no rpm packages for"
                + " amd64; make it with kubeha bundle --rpm\n", run.err(), run.err());
    }

    @Test
    void validateRefusesABundleWithOneFlippedByte() throws IOException {
        Path answers = answers();
        Path tar = bundle(AnswersFile.load(answers).spec().orElseThrow());
        byte[] bytes = Files.readAllBytes(tar);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("kubeadmkubeadm") + 50;
        bytes[at] ^= 1;
        Files.write(tar, bytes);
        CliRunner.Run run = CliRunner.run("validate", "-f", answers.toString(), "--bundle", tar.toString());
        assertEquals(1, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("debs/amd64/kubeadm_1.36.3-1.1_amd64.deb has SHA-256"), run.err());
    }

    @Test
    void bundleRefusesAnArchitectureItCannotCarryBeforeReadingAnything() {
        CliRunner.Run run = CliRunner.run("bundle", "-f", "assets/examples/guide.yaml", "-o",
                dir.resolve("b.tar").toString(), "--arch", "amd64,s390x");
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("option '--arch': 's390x' is not one of amd64, arm64"), run.err());
    }
}
