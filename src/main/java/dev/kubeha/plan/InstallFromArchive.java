package dev.kubeha.plan;

import java.util.List;

/**
 * Installs executables from a release archive on the jump host (e.g. etcd-v3.6.9-linux-amd64.tar.gz), after checking
 * the archive's SHA-256, unless the host already has byte-identical files.
 *
 * @param archive path of the .tar.gz on the jump host
 * @param sha256 expected SHA-256 of the archive; empty means: look it up in SHA256SUMS beside the archive
 * @param members base names of the files to take from the archive (any directory inside it)
 * @param targetDir where they go on the host, mode 0755, owned by root
 * @param keepPackaged whether a file a package on the host owns (dpkg or rpm) is left as it is: the package manager
 *                     keeps it, and the archive adds only what no package installed
 */
public record InstallFromArchive(String archive, String sha256, List<String> members, String targetDir,
                                 boolean keepPackaged) implements Operation {
    public InstallFromArchive {
        members = List.copyOf(members);
    }

    /** Installs every member, replacing what differs. */
    public InstallFromArchive(String archive, String sha256, List<String> members, String targetDir) {
        this(archive, sha256, members, targetDir, false);
    }

    @Override
    public String describe() {
        return "install " + String.join(", ", members) + " into " + targetDir + " from " + archive
                + (sha256.isEmpty() ? " (checked against SHA256SUMS beside it)" : " (sha256 " + sha256 + ")")
                + (keepPackaged ? "; files a package owns there are kept" : "");
    }
}
