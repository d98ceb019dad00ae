package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.EtcdFiles;
import dev.kubeha.render.EtcdUnit;
import java.util.List;

/** etcdctl and etcdutl command lines run on an etcd member: the health gate, snapshots, status and writes. */
public final class EtcdCtl {
    /** Where a member keeps the snapshot a backup takes before the jump host fetches it. */
    public static final String BACKUP_DIR = "/var/lib/kubeha/backups";
    public static final String BACKUP_FILE = BACKUP_DIR + "/snapshot.db";
    public static final String BACKUP_STATUS = BACKUP_DIR + "/snapshot.status.json";
    /** Where kubeha's etcdctl client pair lies on the member while a backup's snapshot is taken, and only then. */
    static final String CLIENT_CERT = BACKUP_DIR + "/kubeha-etcdctl.pem";
    static final String CLIENT_KEY = BACKUP_DIR + "/kubeha-etcdctl-key.pem";

    private EtcdCtl() {
    }

    /** etcdctl against {@code endpoints} with the member's own server certificate (it carries clientAuth). */
    public static String command(ClusterSpec spec, String endpoints) {
        return command(spec, endpoints, EtcdFiles.cert(spec, EtcdUnit.SERVER_BASE_NAME),
                EtcdFiles.key(spec, EtcdUnit.SERVER_BASE_NAME));
    }

    /** etcdctl against {@code endpoints} with the client pair in these files on the member. */
    static String command(ClusterSpec spec, String endpoints, String cert, String key) {
        return EtcdFiles.etcdctl(spec, endpoints, cert, key);
    }

    /** Succeeds only when every member of the cluster answers healthy: the gate before anything stops. */
    public static String clusterHealthy(ClusterSpec spec) {
        return StartEtcd.health(spec, String.join(",", EtcdUnit.clientUrls(spec)), true);
    }

    /** The etcd members, in the answers' order. */
    public static List<HostSpec> members(ClusterSpec spec) {
        return spec.hostsWith(Role.ETCD);
    }

    /** etcdutl's status of a snapshot file as one JSON object (hash, revision, totalKey, totalSize, version). */
    public static String snapshotStatus(ClusterSpec spec, String file) {
        return spec.etcd().install().etcdutlBinary() + " snapshot status " + ShellQuote.quote(file) + " -w json";
    }

    /**
     * A snapshot of {@code member} into {@code file} under {@link #BACKUP_DIR} (0600) and its status into
     * {@code status}, taken with kubeha's etcdctl client pair, which the step put in {@link #CLIENT_CERT} and
     * {@link #CLIENT_KEY} and which is removed again whatever the snapshot's outcome; with {@code once}, a snapshot
     * already in {@code file} with its status is kept and none is taken.
     */
    static String saveSnapshotAsKubeha(ClusterSpec spec, HostSpec member, String file, String status, boolean once) {
        String save = saveSnapshot(spec, member, file, status, command(spec, EtcdUnit.clientUrl(member), CLIENT_CERT,
                CLIENT_KEY));
        return "( " + (once ? "{ test -s " + ShellQuote.quote(file) + " && test -s " + ShellQuote.quote(status)
                + "; } || { " + save + "; }" : save)
                + " ); saved=$?; rm -f " + CLIENT_CERT + " " + CLIENT_KEY + "; exit $saved";
    }

    private static String saveSnapshot(ClusterSpec spec, HostSpec member, String file, String status,
                                       String etcdctl) {
        String part = ShellQuote.quote(file + ".part");
        return "umask 077 && mkdir -p " + BACKUP_DIR + " && chmod 0700 " + BACKUP_DIR + " && rm -f " + part + " && "
                + etcdctl.replace("--command-timeout=5s", "--command-timeout=5m")
                + " snapshot save " + part + " >/dev/null && mv " + part + " " + ShellQuote.quote(file) + " && "
                + snapshotStatus(spec, file) + " > " + ShellQuote.quote(status);
    }

    /** The revision a member reports (endpoint status), printed as a number. */
    public static String revision(ClusterSpec spec, HostSpec member) {
        return command(spec, EtcdUnit.clientUrl(member)) + " endpoint status -w json"
                + " | grep -o '\"revision\":[0-9]*' | head -n1 | cut -d: -f2";
    }
}
