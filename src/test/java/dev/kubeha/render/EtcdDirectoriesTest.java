package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.answers.LoadedAnswers;
import dev.kubeha.answers.SourceMap;
import dev.kubeha.exec.HostLock;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.validate.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's directories never hold anything else kubeha writes: every directory above a file the renderers, the PKIs
 * and the add-ons put on a host (other than the certificate directory's own files) is refused as etcd.dataDir and
 * as etcd.certDir, so neither a chown to etcd nor reset's rm -rf can reach them.
 */
class EtcdDirectoriesTest {
    @TempDir
    Path home;

    @Test
    void noDirectoryOfAnotherKubehaFileIsAcceptedAsAnEtcdDirectory() {
        ClusterSpec guide = GuideSpecs.guide();
        StateDir state = StateDir.at(home.resolve("state"));
        List<RenderedFile> files = new ClusterWorkspace(guide, state, Guide.SECRETS, EtcdPki.loadOrCreate(state, guide),
                ClusterCa.loadOrCreate(state)).files(Guide.facts(guide), AddonFiles.NONE);
        List<String> paths = new ArrayList<>(files.stream().map(RenderedFile::path)
                .filter(p -> !p.startsWith(guide.etcd().certDir() + "/")).toList());
        paths.addAll(List.of(AddonFiles.FLANNEL_PATH, AddonFiles.KUBE_PROMETHEUS_DIR + "/x", HostLock.PATH,
                EtcdInstall.ARCHIVE.etcdBinary(), EtcdInstall.PACKAGE.etcdBinary()));
        Set<String> directories = new TreeSet<>();
        for (String path : paths) {
            for (Path dir = Path.of(path).getParent(); dir != null && !dir.toString().equals("/");
                 dir = dir.getParent()) {
                directories.add(dir.toString());
            }
        }
        assertTrue(directories.containsAll(List.of("/etc/kubernetes/pki/etcd", "/etc/keepalived", "/var/lib/kubeha",
                "/usr/local/bin", "/etc/systemd/system")), directories.toString());
        for (String dir : directories) {
            EtcdSpec e = guide.etcd();
            assertRefused(GuideSpecs.withEtcd(guide, new EtcdSpec(e.version(), dir, e.certDir(), e.keyAlgorithm(),
                    e.certificateValidityDays(), e.install(), e.archive(), e.archiveSha256())), "etcd.dataDir", dir);
            assertRefused(GuideSpecs.withEtcd(guide, new EtcdSpec(e.version(), e.dataDir(), dir, e.keyAlgorithm(),
                    e.certificateValidityDays(), e.install(), e.archive(), e.archiveSha256())), "etcd.certDir", dir);
        }
    }

    @Test
    void dedicatedDirectoriesAreAccepted() {
        ClusterSpec guide = GuideSpecs.guide();
        for (String dir : List.of("/var/lib/etcd", "/var/lib/etcd-main/data", "/etc/etcd/pki", "/data/etcd",
                "/srv/etcd", "/opt/etcd/ssl", "/var/etcd")) {
            EtcdSpec e = guide.etcd();
            ClusterSpec spec = GuideSpecs.withEtcd(guide, new EtcdSpec(e.version(), dir, e.certDir(),
                    e.keyAlgorithm(), e.certificateValidityDays(), e.install(), e.archive(), e.archiveSha256()));
            assertEquals(List.of(), errors(spec), dir);
        }
    }

    private static void assertRefused(ClusterSpec spec, String field, String dir) {
        assertTrue(errors(spec).contains(field), field + " " + dir + " is refused: " + errors(spec));
    }

    private static List<String> errors(ClusterSpec spec) {
        LoadedAnswers loaded = new LoadedAnswers("spec", Optional.of(spec), List.of(),
                new SourceMap());
        return CheckedAnswers.of(loaded, HostileValues.TODAY).problems().stream().filter(Problem::isError)
                .map(Problem::path).toList();
    }

}
