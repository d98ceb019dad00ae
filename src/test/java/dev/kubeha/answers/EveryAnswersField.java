package dev.kubeha.answers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An answers document that sets every field the reader takes to a value other than its default, walked from the
 * reader's own key lists: a key added to the reader without a value here fails every test that builds it.
 */
public final class EveryAnswersField {
    /** The reader's mappings, by path; any other key is a field holding a value. */
    private static final Map<String, List<String>> MAPPINGS = Map.ofEntries(
            Map.entry("", AnswersReader.TOP),
            Map.entry("cluster", AnswersReader.CLUSTER),
            Map.entry("ssh", AnswersReader.SSH),
            Map.entry("hosts[0]", AnswersReader.HOST),
            Map.entry("loadBalancer", AnswersReader.LOAD_BALANCER),
            Map.entry("network", AnswersReader.NETWORK),
            Map.entry("etcd", AnswersReader.ETCD_KEYS),
            Map.entry("etcd.backup", AnswersReader.ETCD_BACKUP),
            Map.entry("containerRuntimeArchives", AnswersReader.RUNTIME_ARCHIVES),
            Map.entry("containerRuntimeArchives.containerd", AnswersReader.RUNTIME_ARCHIVE),
            Map.entry("containerRuntimeArchives.runc", AnswersReader.RUNTIME_ARCHIVE),
            Map.entry("containerRuntimeArchives.cniPlugins", AnswersReader.RUNTIME_ARCHIVE),
            Map.entry("addons", AnswersReader.ADDONS));
    /** apiVersion has a single allowed value, so it cannot differ from its default. */
    private static final String API_VERSION = "apiVersion";
    private static final Map<String, String> VALUES = new HashMap<>(Map.ofEntries(
            Map.entry(API_VERSION, "kubeha/v1"),
            Map.entry("cluster.name", "prod-east"),
            Map.entry("cluster.kubernetesVersion", "\"1.35.2\""),
            Map.entry("cluster.imageRepository", "mirror.example.internal/k8s"),
            Map.entry("cluster.packageRepository", "https://mirror.example.internal/pkgs"),
            Map.entry("cluster.packageRepositoryKeyFingerprint", "DE15B14486CD377B9E876E1A234654DA9A296436"),
            Map.entry("ssh.user", "deploy"),
            Map.entry("ssh.port", "2222"),
            Map.entry("ssh.identityFile", "/home/deploy/.ssh/id_ed25519"),
            Map.entry("ssh.sudo", "true"),
            Map.entry("ssh.bastion", "jump@127.0.0.1:2200"),
            Map.entry("hosts[0].name", "cp1"),
            Map.entry("hosts[0].address", "127.0.0.2"),
            Map.entry("hosts[0].roles", "[control-plane, etcd, load-balancer]"),
            Map.entry("hosts[0].port", "2022"),
            Map.entry("hosts[0].user", "admin"),
            Map.entry("hosts[0].identityFile", "/keys/cp1"),
            Map.entry("loadBalancer.vip", "127.0.0.100"),
            Map.entry("loadBalancer.port", "6443"),
            Map.entry("loadBalancer.interface", "eth1"),
            Map.entry("loadBalancer.virtualRouterId", "77"),
            Map.entry("loadBalancer.vrrp", "multicast"),
            Map.entry("network.podSubnet", "10.32.0.0/16"),
            Map.entry("network.serviceSubnet", "10.112.0.0/12"),
            Map.entry("network.dnsDomain", "corp.local"),
            Map.entry("network.proxyMode", "ipvs"),
            Map.entry("network.cni", "none"),
            Map.entry("network.flannelBackend", "host-gw"),
            Map.entry("network.flannelManifest", "/srv/kube-flannel.yml"),
            Map.entry("etcd.version", "\"3.5.21\""),
            Map.entry("etcd.dataDir", "/var/lib/etcd-data"),
            Map.entry("etcd.certDir", "/etc/etcd/tls"),
            Map.entry("etcd.keyAlgorithm", "rsa-2048"),
            Map.entry("etcd.certificateValidityDays", "730"),
            Map.entry("etcd.install", "package"),
            Map.entry("etcd.archive", "/srv/etcd-v3.5.21-linux-amd64.tar.gz"),
            Map.entry("etcd.archiveSha256", "\"" + "a1".repeat(32) + "\""),
            Map.entry("etcd.backup.schedule", "\"*-*-* 03:00:00\""),
            Map.entry("etcd.backup.keep", "3"),
            Map.entry("containerRuntime", "docker"),
            Map.entry("containerRuntimeInstall", "archive"),
            Map.entry("addons.kubePrometheus", "false"),
            Map.entry("addons.kubePrometheusArchive", "/srv/kube-prometheus-v0.16.0.tar.gz")));

    static {
        archive("containerd", "2.1.4", "/srv/containerd-2.1.4-linux-amd64.tar.gz", "b2");
        archive("runc", "1.3.0", "/srv/runc.amd64", "c3");
        archive("cniPlugins", "1.7.1", "/srv/cni-plugins-linux-amd64-v1.7.1.tgz", "d4");
    }

    private EveryAnswersField() {
    }

    private static void archive(String component, String version, String file, String shaByte) {
        String at = "containerRuntimeArchives." + component + ".";
        VALUES.put(at + "version", "\"" + version + "\"");
        VALUES.put(at + "archive", file);
        VALUES.put(at + "archiveSha256", "\"" + shaByte.repeat(32) + "\"");
    }

    /** Every field's path that can hold a value other than its default, in the reader's order. */
    public static List<String> paths() {
        List<String> paths = new ArrayList<>();
        walk("", paths);
        paths.remove(API_VERSION);
        return paths;
    }

    public static String document() {
        return without("");
    }

    /** The document with the field at path left out ("" leaves nothing out). */
    public static String without(String path) {
        StringBuilder y = new StringBuilder();
        write("", 0, path, y);
        return y.toString();
    }

    private static void walk(String at, List<String> paths) {
        for (String key : MAPPINGS.get(at)) {
            String path = child(at, key);
            if (key.equals("hosts") && at.isEmpty()) {
                walk("hosts[0]", paths);
            } else if (MAPPINGS.containsKey(path)) {
                walk(path, paths);
            } else {
                paths.add(path);
            }
        }
    }

    private static void write(String at, int depth, String left, StringBuilder y) {
        String indent = "  ".repeat(depth);
        for (String key : MAPPINGS.get(at)) {
            String path = child(at, key);
            if (path.equals(left)) {
                continue;
            }
            if (key.equals("hosts") && at.isEmpty()) {
                StringBuilder host = new StringBuilder();
                write("hosts[0]", 2, left, host);
                y.append("hosts:\n  - ").append(host.substring(4));
            } else if (MAPPINGS.containsKey(path)) {
                y.append(indent).append(key).append(":\n");
                write(path, depth + 1, left, y);
            } else {
                y.append(indent).append(key).append(": ").append(Objects.requireNonNull(VALUES.get(path),
                        () -> "EveryAnswersField has no value for the reader's field " + path)).append('\n');
            }
        }
    }

    private static String child(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }
}
