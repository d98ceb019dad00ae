package dev.kubeha.testing;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.LoadedAnswers;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.EtcdBackup;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.model.RuntimeArchives;
import dev.kubeha.model.RuntimeInstall;
import java.nio.file.Path;
import java.util.List;

/** Cluster specs for tests: the guide's topology from assets/examples/guide.yaml, and variations of it. */
public final class GuideSpecs {
    private GuideSpecs() {
    }

    public static ClusterSpec guide() {
        LoadedAnswers loaded = AnswersFile.load(Path.of("assets/examples/guide.yaml"));
        if (loaded.hasErrors()) {
            throw new AssertionError("guide.yaml does not load: " + loaded.problems());
        }
        return loaded.spec().orElseThrow();
    }

    public static ClusterSpec withEtcd(ClusterSpec spec, EtcdSpec etcd) {
        return new ClusterSpec(spec.cluster(), spec.ssh(), spec.hosts(), spec.loadBalancer(), spec.network(), etcd,
                spec.containerRuntime(), spec.containerRuntimeInstall(), spec.containerRuntimeArchives(),
                spec.addons());
    }

    /** The spec with containerd installed from its release archive on every node, from these files. */
    public static ClusterSpec withRuntimeArchives(ClusterSpec spec, RuntimeArchives archives) {
        return new ClusterSpec(spec.cluster(), spec.ssh(), spec.hosts(), spec.loadBalancer(), spec.network(),
                spec.etcd(), ContainerRuntime.CONTAINERD, RuntimeInstall.ARCHIVE, archives, spec.addons());
    }

    /** {@code spec} with another etcd.version, the rest of its etcd section kept. */
    public static ClusterSpec withEtcdVersion(ClusterSpec spec, String version) {
        EtcdSpec e = spec.etcd();
        return withEtcd(spec, new EtcdSpec(version, e.dataDir(), e.certDir(), e.keyAlgorithm(),
                e.certificateValidityDays(), e.install(), e.archive(), e.archiveSha256(), e.backup()));
    }

    /** The guide with etcd.backup set. */
    public static ClusterSpec withBackup(String schedule, int keep) {
        ClusterSpec guide = guide();
        EtcdSpec e = guide.etcd();
        return withEtcd(guide, new EtcdSpec(e.version(), e.dataDir(), e.certDir(), e.keyAlgorithm(),
                e.certificateValidityDays(), e.install(), e.archive(), e.archiveSha256(),
                new EtcdBackup(schedule, keep)));
    }

    public static ClusterSpec withKeyAlgorithm(ClusterSpec spec, KeyAlgorithm algorithm) {
        EtcdSpec e = spec.etcd();
        return withEtcd(spec, new EtcdSpec(e.version(), e.dataDir(), e.certDir(), algorithm,
                e.certificateValidityDays()));
    }

    public static ClusterSpec withAddress(ClusterSpec spec, String hostName, String address) {
        List<HostSpec> hosts = spec.hosts().stream()
                .map(h -> h.name().equals(hostName)
                        ? new HostSpec(h.name(), address, h.roles(), h.port(), h.user(), h.identityFile()) : h)
                .toList();
        return spec.withHosts(hosts);
    }
}
