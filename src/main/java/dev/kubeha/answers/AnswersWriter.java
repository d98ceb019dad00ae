package dev.kubeha.answers;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.Json;
import dev.kubeha.model.RuntimeArchives;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes answers as a commented answers file: a {@link ClusterSpec} loads back equal, and any text as itself. */
public final class AnswersWriter {
    public static final String DEFAULT_HEADER = """
            # kubeha answers file: replay it with `kubeha apply -f FILE`, or open it in the wizard with
            # `kubeha --answers FILE`. It holds no secrets: kubeha keeps those in its state directory.
            """;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/~][A-Za-z0-9_./@~+-]*");
    private static final Pattern NOT_A_STRING = Pattern.compile(
            "(?i)true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_.:eE+-]*|[-+]?\\.(inf|nan)");

    private static final Map<String, List<String>> SECTIONS = Map.of("cluster", AnswersReader.CLUSTER,
            "ssh", AnswersReader.SSH, "loadBalancer", AnswersReader.LOAD_BALANCER, "network", AnswersReader.NETWORK,
            "etcd", AnswersReader.ETCD, "addons", AnswersReader.ADDONS);
    private static final Set<String> ALWAYS_QUOTED = Set.of("cluster.kubernetesVersion", "etcd.version");
    private static final Map<String, String> NOTES = Map.ofEntries(
            Map.entry("cluster.kubernetesVersion",
                    "          # full version; kubeha supports the minors in `kubeha version`"),
            note("cluster.imageRepository", "or a mirror with the same layout"),
            note("cluster.packageRepository", "pkgs.k8s.io layout"),
            note("cluster.packageRepositoryKeyFingerprint",
                    "its signing key's OpenPGP fingerprint; required for http://"),
            note("ssh.identityFile", "empty: ssh-agent, then a password prompt"),
            note("ssh.bastion", "user@host:port, optional"),
            note("loadBalancer.interface", "empty: detected from the host's facts"),
            note("loadBalancer.vrrp", "unicast | multicast"),
            note("network.proxyMode", "ipvs | iptables | nftables"),
            note("network.cni", "flannel | none"),
            note("network.flannelBackend", "vxlan | host-gw | wireguard"),
            note("network.flannelManifest", "empty: fetched, checksum verified"),
            note("etcd.keyAlgorithm", "ecdsa-p256 | rsa-2048"),
            note("etcd.install", "archive (pushed from this jump host) | package"),
            note("etcd.archive", "empty: downloaded from etcd's releases; or"
                    + " etcd-vX.Y.Z-linux-ARCH.tar.gz on this jump host"),
            note("etcd.archiveSha256", "empty: kubeha's checksum table, or SHA256SUMS next to the archive"),
            Map.entry("containerRuntime", "           # containerd | docker (Docker Engine + cri-dockerd)"),
            Map.entry("containerRuntimeInstall", "   # " + RuntimeInstall.CHOICES),
            note("addons.kubePrometheusArchive", "empty: the release is downloaded, checksum recorded"));

    private AnswersWriter() {
    }

    public static String toYaml(ClusterSpec s) {
        return toYaml(AnswersText.of(s));
    }

    /** The document in the answers file's layout, with its comments; every text is written so it reads back as is. */
    public static String toYaml(AnswersText t) {
        StringBuilder y = new StringBuilder();
        for (String top : AnswersReader.TOP) {
            switch (top) {
                case "apiVersion" -> y.append("apiVersion: ").append(ClusterSpec.API_VERSION).append('\n');
                case "hosts" -> hosts(y, t.hosts());
                case "containerRuntime", "containerRuntimeInstall" -> y.append(top).append(": ")
                        .append(scalar(value(t, top))).append(NOTES.get(top)).append('\n');
                case RuntimeArchives.FIELD -> runtimeArchives(y, t);
                default -> {
                    y.append(top).append(":\n");
                    for (String key : SECTIONS.get(top)) {
                        String path = top + "." + key;
                        String text = value(t, path);
                        y.append("  ").append(key).append(": ")
                                .append(ALWAYS_QUOTED.contains(path) ? quoted(text) : literalOrScalar(text))
                                .append(NOTES.getOrDefault(path, "")).append('\n');
                    }
                    if (top.equals("etcd") && t.fields().containsKey("etcd.backup.schedule")) {
                        y.append("  backup: {schedule: ").append(quoted(value(t, "etcd.backup.schedule")))
                                .append(", keep: ").append(literalOrScalar(value(t, "etcd.backup.keep")))
                                .append("}   # systemd OnCalendar; the newest snapshots each member keeps\n");
                    }
                }
            }
        }
        return y.toString();
    }

    /** containerRuntimeArchives with the components the text holds; nothing when it holds none. */
    private static void runtimeArchives(StringBuilder y, AnswersText t) {
        List<String> given = AnswersReader.RUNTIME_ARCHIVES.stream()
                .filter(c -> t.fields().containsKey(RuntimeArchives.FIELD + "." + c + ".version")).toList();
        if (given.isEmpty()) {
            return;
        }
        y.append(RuntimeArchives.FIELD).append(":   # instead of the releases kubeha pins: version, a copy on this"
                + " jump host (empty: downloaded), SHA-256 (empty: kubeha's checksum table)\n");
        for (String c : given) {
            String at = RuntimeArchives.FIELD + "." + c + ".";
            y.append("  ").append(c).append(": {").append(String.join(", ", AnswersReader.RUNTIME_ARCHIVE.stream()
                    .map(k -> k + ": " + quoted(value(t, at + k))).toList())).append("}\n");
        }
    }

    private static String value(AnswersText t, String path) {
        return Objects.requireNonNull(t.fields().get(path), () -> "the answers text has no field " + path);
    }

    private static void hosts(StringBuilder y, List<AnswersText.Host> hosts) {
        if (hosts.isEmpty()) {
            y.append("hosts: []\n");
            return;
        }
        y.append("hosts:\n");
        for (AnswersText.Host h : hosts) {
            List<String> parts = new ArrayList<>();
            parts.add("name: " + scalar(h.name()));
            parts.add("address: " + scalar(h.address()));
            parts.add("roles: [" + String.join(", ", h.roles().stream().map(AnswersWriter::scalar).toList()) + "]");
            if (h.port() != null) {
                parts.add("port: " + literalOrScalar(h.port()));
            }
            if (h.user() != null) {
                parts.add("user: " + scalar(h.user()));
            }
            if (h.identityFile() != null) {
                parts.add("identityFile: " + scalar(h.identityFile()));
            }
            y.append("  - {").append(String.join(", ", parts)).append("}\n");
        }
    }

    private static String literalOrScalar(String value) {
        boolean literal = value.equals("true") || value.equals("false") || value.chars().allMatch(Character::isDigit)
                && !value.isEmpty();
        return literal ? value : scalar(value);
    }

    private static Map.Entry<String, String> note(String path, String comment) {
        return Map.entry(path, "   # " + comment);
    }

    /** A string as YAML reads it back unchanged: plain where that is safe, double-quoted otherwise. */
    static String scalar(String value) {
        if (PLAIN.matcher(value).matches() && !NOT_A_STRING.matcher(value).matches()) {
            return value;
        }
        return quoted(value);
    }

    private static String quoted(String value) {
        return Json.quoted(value);
    }
}
