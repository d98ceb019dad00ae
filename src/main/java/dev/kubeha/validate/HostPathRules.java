package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The directories the answers name on the hosts (etcd's data and certificate directories): kubeha writes them into
 * a systemd unit and kubeadm's configuration, chowns them to etcd and deletes them on reset, so each must be a plain,
 * normalised path of a directory dedicated to etcd.
 */
final class HostPathRules implements Rule {
    static final int MAX_LENGTH = 4095;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/-]+");
    /** Top-level trees that belong to the system as a whole. */
    private static final Set<String> SYSTEM_TREES = Set.of("bin", "boot", "dev", "home", "proc", "root", "run",
            "sbin", "sys", "tmp", "usr");
    /** Shared directories below which only a directory dedicated to etcd (its name starts with etcd) is kubeha's. */
    private static final List<String> SHARED = List.of("/var/lib", "/var", "/etc");

    @Override
    public void check(ClusterSpec spec, Problems out) {
        EtcdSpec etcd = spec.etcd();
        problem(etcd.dataDir(), "/var/lib/etcd").ifPresent(m -> out.error("etcd.dataDir", m));
        if (spec.stackedEtcd()) {
            return;
        }
        problem(etcd.certDir(), "/etc/etcd/pki").ifPresent(m -> out.error("etcd.certDir", m));
        if (etcd.dataDir().equals(etcd.certDir())) {
            out.error("etcd.certDir", "must differ from etcd.dataDir");
        }
    }

    /** Why the path cannot be an etcd directory on the hosts, if it cannot; example names a good one. */
    static Optional<String> problem(String path, String example) {
        if (!path.startsWith("/")) {
            return Optional.of("'" + path + "' must be an absolute path");
        }
        if (path.length() > MAX_LENGTH || !PLAIN.matcher(path).matches()) {
            return Optional.of("'" + abbreviated(path) + "' may hold only letters, digits and ._/- (at most "
                    + MAX_LENGTH + " characters)");
        }
        if (path.equals("/")) {
            return Optional.of("must not be /");
        }
        if (!normalised(path)) {
            return Optional.of("'" + path + "' is not normalised; write it without //, . or .. segments and without"
                    + " a trailing /");
        }
        String top = path.substring(1).split("/")[0];
        if (SYSTEM_TREES.contains(top) || top.startsWith("lib")) {
            return Optional.of(path + (path.equals("/" + top) ? " is a system directory" : " is inside the system"
                    + " directory /" + top) + "; choose a dedicated one such as " + example);
        }
        for (String shared : SHARED) {
            if (path.equals(shared)) {
                return Optional.of(path + " is a system directory; choose a dedicated one such as " + example);
            }
            if (path.startsWith(shared + "/")) {
                String dedicated = path.substring(shared.length() + 1).split("/")[0];
                if (dedicated.startsWith("etcd")) {
                    return Optional.empty();
                }
                return Optional.of(path + " is inside " + shared + ", where only a dedicated etcd directory such as "
                        + (shared.equals("/etc") ? "/etc/etcd/pki" : "/var/lib/etcd") + " is kubeha's");
            }
        }
        return Optional.empty();
    }

    private static boolean normalised(String path) {
        if (path.endsWith("/")) {
            return false;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviated(String path) {
        return path.length() <= 200 ? path : path.substring(0, 200) + "…";
    }
}
