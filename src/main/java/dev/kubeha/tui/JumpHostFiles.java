package dev.kubeha.tui;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.JumpHostPath;
import dev.kubeha.validate.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The files an install reads on this jump host (SSH keys, the etcd archive, add-on files): present and readable. */
final class JumpHostFiles {
    private JumpHostFiles() {
    }

    /** An error for each named file that is missing, not a file, or not readable; paths the validator refused are left. */
    static List<Problem> check(ClusterSpec spec, List<Problem> validated) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("ssh.identityFile", spec.ssh().identityFile());
        for (int i = 0; i < spec.hosts().size(); i++) {
            HostSpec host = spec.hosts().get(i);
            files.put("hosts[" + i + "].identityFile", host.identityFile() == null ? "" : host.identityFile());
        }
        if (!spec.stackedEtcd() && spec.etcd().install() == EtcdInstall.ARCHIVE) {
            files.put("etcd.archive", spec.etcd().archive());
        }
        files.put("network.flannelManifest", spec.network().flannelManifest());
        if (spec.addons().kubePrometheus()) {
            files.put("addons.kubePrometheusArchive", spec.addons().kubePrometheusArchive());
        }
        List<Problem> out = new ArrayList<>();
        files.forEach((path, file) -> {
            boolean refused = validated.stream().anyMatch(p -> p.path().equals(path) && p.isError());
            if (!file.isEmpty() && !refused && (file.startsWith("/") || file.startsWith("~/"))) {
                problem(JumpHostPath.of(file)).ifPresent(why -> out.add(Problem.error(path, file + " " + why)));
            }
        });
        return out;
    }

    private static Optional<String> problem(Path file) {
        if (!Files.exists(file)) {
            return Optional.of("does not exist on this jump host");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("is not a file");
        }
        return Files.isReadable(file) ? Optional.empty() : Optional.of("is not readable by this user");
    }
}
