package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.bundle.BundleManifest;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.render.KubernetesPackages;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.sources.SourceCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle's rpm install and its check run for real: Debian's dnf 4 and rpm into a scratch root, with no network
 * (unshare --net), on small rpms built here by rpmbuild; the lock file and the pushed files' directory are moved into
 * the test's directory, the commands are otherwise those the plan runs.
 */
@Tag("tools")
class RpmBundleToolsTest {
    @TempDir
    Path dir;

    record Result(int exit, String output) {
    }

    private Result run(String script) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        Process p = builder.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), script);
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Builds NAME-VERSION-1.noarch.rpm with no files into {@code into}. */
    private Path rpm(Path into, String name, String version, String... requires) throws Exception {
        Path spec = dir.resolve(name + ".spec");
        Files.writeString(spec, "Name: " + name + "\nVersion: " + version + "\nRelease: 150500.1.1\nSummary: test\n"
                + "License: Apache-2.0\nBuildArch: noarch\n" + (requires.length == 0 ? ""
                : "Requires: " + String.join(" ", requires) + "\n") + "%description\ntest\n%files\n");
        Result built = run("rpmbuild -bb --quiet --define '_topdir " + dir.resolve("rpmbuild") + "' --define '_rpmdir "
                + into + "' " + spec);
        assertEquals(0, built.exit(), built.output());
        return into.resolve("noarch/" + name + "-" + version + "-150500.1.1.noarch.rpm");
    }

    /** dnf and rpm that work on {@code root} (dnf without any network), first in PATH. */
    private Path root(String dnfConf) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc/yum.repos.d"));
        Files.writeString(Files.createDirectories(root.resolve("etc/dnf")).resolve("dnf.conf"), dnfConf);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("dnf"), "#!/bin/sh\nexec unshare --net /usr/bin/dnf --installroot=" + root
                + " --releasever=9 \"$@\"\n");
        Files.writeString(bin.resolve("rpm"), "#!/bin/sh\nexec /usr/bin/rpm --root " + root + " \"$@\"\n");
        for (String tool : List.of("dnf", "rpm")) {
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return root;
    }

    /** The bundle's kubelet, kubeadm, kubectl 1.36.3 and cri-tools, with kubelet requiring {@code kubeletNeeds}. */
    private Bundle bundle(String... kubeletNeeds) throws Exception {
        Path built = dir.resolve("built");
        List<Path> files = new ArrayList<>();
        List<String> kubelet = new ArrayList<>(List.of("cri-tools"));
        kubelet.addAll(List.of(kubeletNeeds));
        files.add(rpm(built, "kubelet", "1.36.3", kubelet.toArray(String[]::new)));
        files.add(rpm(built, "kubeadm", "1.36.3", "kubelet", "cri-tools"));
        files.add(rpm(built, "kubectl", "1.36.3"));
        files.add(rpm(built, "cri-tools", "1.36.0"));
        Path unpacked = Files.createDirectories(dir.resolve("unpacked/rpms/amd64"));
        List<BundleItem> items = new ArrayList<>();
        for (Path f : files) {
            Path in = Files.copy(f, unpacked.resolve(f.getFileName()));
            String name = f.getFileName().toString().replaceFirst("-[0-9].*", "");
            items.add(new BundleItem("rpms/amd64/" + f.getFileName(), BundleItem.Kind.RPM, name,
                    f.getFileName().toString().substring(name.length() + 1).replace(".noarch.rpm", ""), "amd64",
                    SourceCache.sha256(in), Files.size(in)));
        }
        return new Bundle(dir.resolve("unpacked"), new BundleManifest("1.36.3", List.of("amd64"), "registry.k8s.io",
                items));
    }

    /** Copies the pushed files where the moved command finds them; returns its check and its command, moved. */
    private List<String> pushAndMove(List<Operation> operations) throws IOException {
        Path host = Files.createDirectories(dir.resolve("host"));
        List<String> out = new ArrayList<>();
        for (Operation op : operations) {
            if (op instanceof PushFile push) {
                assertTrue(push.path().startsWith(InstallKubernetes.BUNDLE_RPMS + "/"), push.path());
                Files.copy(Path.of(push.source()), host.resolve(push.path().substring(
                        InstallKubernetes.BUNDLE_RPMS.length() + 1)), StandardCopyOption.REPLACE_EXISTING);
                assertEquals(push.sha256(), SourceCache.sha256(Path.of(push.source())));
            } else if (op instanceof RunCommand command) {
                out.add(command.doneWhen().orElseThrow());
                out.add(command.command().replace(OsCommands.PACKAGE_LOCK, dir.resolve("lock").toString())
                        .replace(InstallKubernetes.BUNDLE_RPMS, host.toString()));
            }
        }
        assertEquals(2, out.size(), out.toString());
        return out;
    }

    @Test
    void withEveryDependencyInstalledDnfNeedsNoRepositoryNotEvenAnUnreachableKubernetesOne() throws Exception {
        Path root = root("[main]\ngpgcheck=1\n");
        RenderedFile repo = KubernetesPackages.render(PhaseTable.cluster(PhaseTable.STACKED,
                        "cluster: {kubernetesVersion: \"1.36.3\", packageRepository: \"http://127.0.0.1:9\","
                                + " packageRepositoryKeyFingerprint: " + SigningKeyPinToolsTest.LAB_FINGERPRINT + "}"),
                PhaseTable.facts(PhaseTable.cluster(PhaseTable.STACKED), OsFamily.RHEL)).getFirst();
        String repoText = new String(repo.content(), StandardCharsets.UTF_8);
        assertTrue(repoText.contains("baseurl=http://127.0.0.1:9/") && repoText.contains("exclude=kubelet"), repoText);
        Files.writeString(root.resolve("etc/yum.repos.d/kubernetes.repo"), repoText);
        List<String> moved = pushAndMove(InstallKubernetes.fromBundle(bundle(), OsFamily.RHEL, "amd64", "1.36.3"));

        assertNotEquals(0, run(moved.get(0)).exit(), "nothing is installed yet");
        Result install = run(moved.get(1));
        assertEquals(0, install.exit(), install.output());
        assertEquals(0, run(moved.get(0)).exit(), "the check sees the installed version");
        Result installed = run("rpm -qa --qf '%{NAME}-%{VERSION}\\n' | sort");
        assertEquals("cri-tools-1.36.0\nkubeadm-1.36.3\nkubectl-1.36.3\nkubelet-1.36.3\n", installed.output());
    }

    @Test
    void aMissingDistributionDependencyComesFromTheHostsMirrorOnTheSecondTry() throws Exception {
        Path root = root("[main]\ngpgcheck=0\n");
        Path mirror = dir.resolve("mirror");
        rpm(mirror, "conntrack-tools", "1.4.7");
        Result createrepo = run("createrepo_c -q " + mirror);
        assertEquals(0, createrepo.exit(), createrepo.output());
        Files.writeString(root.resolve("etc/yum.repos.d/baseos.repo"), "[baseos]\nname=BaseOS\nbaseurl="
                + mirror.toUri() + "\nenabled=1\n");
        List<String> moved = pushAndMove(InstallKubernetes.fromBundle(bundle("conntrack-tools"), OsFamily.RHEL,
                "amd64", "1.36.3"));
        Result install = run(moved.get(1));
        assertEquals(0, install.exit(), install.output());
        assertTrue(install.output().contains("nothing provides conntrack-tools"), "the first try uses no repository: "
                + install.output());
        assertEquals(0, run(moved.get(0)).exit());
        assertEquals(0, run("rpm -q conntrack-tools").exit());
    }
}
