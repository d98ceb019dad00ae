package dev.kubeha.answers;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Json;
import dev.kubeha.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Writes a {@link ClusterSpec} as a commented answers file that loads back to an equal spec. */
public final class AnswersWriter {
    public static final String DEFAULT_HEADER = """
            # kubeha answers file: replay it with `kubeha apply -f FILE`, or open it in the wizard with
            # `kubeha --answers FILE`. It holds no secrets: kubeha keeps those in its state directory.
            """;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/~][A-Za-z0-9_./@~+-]*");
    private static final Pattern NOT_A_STRING = Pattern.compile(
            "(?i)true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_.:eE+-]*|[-+]?\\.(inf|nan)");

    private AnswersWriter() {
    }

    public static String toYaml(ClusterSpec s) {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: ").append(ClusterSpec.API_VERSION).append('\n');
        y.append("cluster:\n");
        field(y, "name", s.cluster().name(), null);
        y.append("  kubernetesVersion: ").append(Json.quoted(s.cluster().kubernetesVersion()))
                .append("          # full version; kubeha supports the minors in `kubeha version`\n");
        field(y, "imageRepository", s.cluster().imageRepository(), "or a mirror with the same layout");
        field(y, "packageRepository", s.cluster().packageRepository(), "pkgs.k8s.io layout");
        field(y, "packageRepositoryKeyFingerprint", s.cluster().packageRepositoryKeyFingerprint(),
                "its signing key's OpenPGP fingerprint; required for http://");
        y.append("ssh:\n");
        field(y, "user", s.ssh().user(), null);
        field(y, "port", Integer.toString(s.ssh().port()), null);
        field(y, "identityFile", s.ssh().identityFile(), "empty: ssh-agent, then a password prompt");
        field(y, "sudo", Boolean.toString(s.ssh().sudo()), null);
        field(y, "bastion", s.ssh().bastion(), "user@host:port, optional");
        y.append("hosts:\n");
        for (HostSpec h : s.hosts()) {
            y.append("  - ").append(host(h)).append('\n');
        }
        if (s.hosts().isEmpty()) {
            y.setLength(y.length() - 1);
            y.append(" []\n");
        }
        y.append("loadBalancer:\n");
        field(y, "vip", s.loadBalancer().vip(), null);
        field(y, "port", Integer.toString(s.loadBalancer().port()), null);
        field(y, "interface", s.loadBalancer().networkInterface(), "empty: detected from the host's facts");
        field(y, "virtualRouterId", Integer.toString(s.loadBalancer().virtualRouterId()), null);
        field(y, "vrrp", s.loadBalancer().vrrp().yamlName(), "unicast | multicast");
        y.append("network:\n");
        field(y, "podSubnet", s.network().podSubnet(), null);
        field(y, "serviceSubnet", s.network().serviceSubnet(), null);
        field(y, "dnsDomain", s.network().dnsDomain(), null);
        field(y, "proxyMode", s.network().proxyMode().yamlName(), "ipvs | iptables | nftables");
        field(y, "cni", s.network().cni().yamlName(), "flannel | none");
        field(y, "flannelBackend", s.network().flannelBackend().yamlName(), "vxlan | host-gw | wireguard");
        field(y, "flannelManifest", s.network().flannelManifest(), "empty: fetched, checksum verified");
        y.append("etcd:\n");
        y.append("  version: ").append(Json.quoted(s.etcd().version())).append('\n');
        field(y, "dataDir", s.etcd().dataDir(), null);
        field(y, "certDir", s.etcd().certDir(), null);
        field(y, "keyAlgorithm", s.etcd().keyAlgorithm().yamlName(), "ecdsa-p256 | rsa-2048");
        field(y, "certificateValidityDays", Integer.toString(s.etcd().certificateValidityDays()), null);
        field(y, "install", s.etcd().install().yamlName(), "archive (pushed from this jump host) | package");
        field(y, "archive", s.etcd().archive(), "empty: downloaded from etcd's releases; or"
                + " etcd-vX.Y.Z-linux-ARCH.tar.gz on this jump host");
        field(y, "archiveSha256", s.etcd().archiveSha256(), "empty: kubeha's checksum table, or SHA256SUMS next to"
                + " the archive");
        y.append("containerRuntime: ").append(s.containerRuntime().yamlName())
                .append("           # containerd | docker (Docker Engine + cri-dockerd)\n");
        y.append("addons:\n");
        field(y, "kubePrometheus", Boolean.toString(s.addons().kubePrometheus()), null);
        field(y, "kubePrometheusArchive", s.addons().kubePrometheusArchive(),
                "empty: the release is downloaded, checksum recorded");
        return y.toString();
    }

    private static void field(StringBuilder y, String key, String value, String comment) {
        boolean literal = value.equals("true") || value.equals("false") || value.chars().allMatch(Character::isDigit)
                && !value.isEmpty();
        y.append("  ").append(key).append(": ").append(literal ? value : scalar(value));
        if (comment != null) {
            y.append("   # ").append(comment);
        }
        y.append('\n');
    }

    private static String host(HostSpec h) {
        List<String> parts = new ArrayList<>();
        parts.add("name: " + scalar(h.name()));
        parts.add("address: " + scalar(h.address()));
        parts.add("roles: [" + String.join(", ", h.roles().stream().sorted().map(Role::yamlName).toList()) + "]");
        if (h.port() != null) {
            parts.add("port: " + h.port());
        }
        if (h.user() != null) {
            parts.add("user: " + scalar(h.user()));
        }
        if (h.identityFile() != null) {
            parts.add("identityFile: " + scalar(h.identityFile()));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    /** A string as YAML reads it back unchanged: plain where that is safe, double-quoted otherwise. */
    static String scalar(String value) {
        if (PLAIN.matcher(value).matches() && !NOT_A_STRING.matcher(value).matches()) {
            return value;
        }
        return Json.quoted(value);
    }
}
