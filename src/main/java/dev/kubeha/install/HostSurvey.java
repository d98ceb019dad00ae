package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.pki.CertificateExpiry;
import dev.kubeha.pki.CertificateTemplate;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdCertificates;
import dev.kubeha.plan.EtcdCtl;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.EtcdSnapshotTimer;
import dev.kubeha.render.HaproxyConfig;
import dev.kubeha.render.HostsBlock;
import dev.kubeha.render.RenderedFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host's part of the read-only status pass: the script that reads it (services, VIP, haproxy's backends,
 * certificate expiries, hashes of kubeha's files, kubeadm's certificates, and on the first control plane and etcd
 * member the cluster's nodes, pods and etcd status) and the parser of its tab-separated answer.
 */
public final class HostSurvey {
    static final String KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf";

    /** One systemd unit: {@code systemctl is-active} and {@code is-enabled} as they answered. */
    public record Service(String name, String active, String enabled) {
        public boolean ok() {
            return active.equals("active") && enabled.equals("enabled");
        }
    }

    /** What one host answered; {@code blobs} are the raw outputs (kubeadm, nodes, pods, etcd, haproxy) by tag. */
    public record Report(String host, List<Service> services, Optional<Boolean> holdsVip,
                         List<CertificateExpiry> certificates, List<String> missingCertificates, List<String> drift,
                         Map<String, String> blobs) {
    }

    private HostSurvey() {
    }

    /** The units kubeha installs on this host, by its roles. */
    /** The blob of a member's local snapshots: "MTIME SIZE" of the newest (or "none"), then the timer's next run. */
    static final String SNAPSHOTS_BLOB = "etcd-snapshots";

    public static List<String> services(ClusterSpec spec, HostSpec host) {
        List<String> units = new ArrayList<>();
        if (host.has(Role.LOAD_BALANCER)) {
            units.addAll(List.of("haproxy", "keepalived"));
        }
        if (host.has(Role.ETCD) && !spec.stackedEtcd()) {
            units.add("etcd");
            if (spec.etcd().backup().enabled()) {
                units.add(EtcdSnapshotTimer.UNIT + ".timer");
            }
        }
        if (host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER)) {
            units.addAll(spec.containerRuntime() == ContainerRuntime.DOCKER ? List.of("docker", "cri-docker")
                    : List.of("containerd"));
            units.add("kubelet");
        }
        return units;
    }

    /** Every certificate kubeha places on this host, by name and path, as the certificate tables place them. */
    public static Map<String, String> certificatePaths(ClusterSpec spec, HostSpec host) {
        Map<String, String> paths = new LinkedHashMap<>();
        if (!spec.stackedEtcd()) {
            for (CertificateTemplate row : EtcdCertificates.TABLE) {
                for (CertificateTemplate.Placement placement : row.placements()) {
                    if (host.has(placement.role())) {
                        paths.putIfAbsent(row.name(), placement.certificatePath().apply(spec));
                    }
                }
            }
        }
        if (host.has(Role.CONTROL_PLANE)) {
            paths.put("kubernetes-ca", ClusterCa.CERT_PATH);
        }
        return paths;
    }

    /**
     * The read-only script; {@code files} are what the answers render for this host (only their paths are read; of
     * /etc/hosts, which apply merges into, only kubeha's block).
     */
    public static String script(ClusterSpec spec, HostSpec host, List<RenderedFile> files, boolean leadControlPlane,
                                boolean leadEtcdMember) {
        StringBuilder s = new StringBuilder();
        s.append("blob() { printf '%s\\t%s\\n' \"$1\" \"$(base64 -w0)\"; }\n");
        s.append("svc() { printf 'service\\t%s\\t%s\\t%s\\n' \"$1\" \"$(systemctl is-active \"$1\" 2>/dev/null)\""
                + " \"$(systemctl is-enabled \"$1\" 2>/dev/null)\"; }\n");
        s.append("cert() { e=$(openssl x509 -enddate -noout -in \"$2\" 2>/dev/null | cut -d= -f2-); if test -n \"$e\";"
                + " then printf 'cert\\t%s\\t%s\\n' \"$1\" \"$(date -d \"$e\" +%s)\"; else printf 'cert\\t%s\\tmissing\\n'"
                + " \"$1\"; fi; }\n");
        s.append("hash() { printf 'hash\\t%s\\t%s\\n' \"$1\" \"$(sha256sum \"$1\" 2>/dev/null | cut -d' ' -f1)\"; }\n");
        for (String unit : services(spec, host)) {
            s.append("svc ").append(unit).append('\n');
        }
        if (host.has(Role.LOAD_BALANCER)) {
            String vip = spec.loadBalancer().vip();
            s.append("if ip -o addr show | grep -qw ").append(ShellQuote.quote("inet6\\? " + vip + "/[0-9]*"))
                    .append("; then printf 'vip\\tyes\\n'; else printf 'vip\\tno\\n'; fi\n");
            s.append("printf 'user = \"%s\"\\n' \"$(awk '$1 == \"stats\" && $2 == \"auth\" {print $3; exit}' ")
                    .append(HaproxyConfig.PATH).append(" 2>/dev/null)\" | curl -s -m 5 -K - ")
                    .append(ShellQuote.quote("http://" + HaproxyConfig.STATS_BIND + "/stats;csv"))
                    .append(" 2>/dev/null | blob haproxy\n");
        }
        if (host.has(Role.ETCD) && !spec.stackedEtcd() && spec.etcd().backup().enabled()) {
            s.append("{ f=$(ls -1 ").append(EtcdSnapshotTimer.DIR).append("/etcd-*.db 2>/dev/null | sort | tail -n1);"
                    + " if test -n \"$f\"; then stat -c '%Y %s' \"$f\"; else echo none; fi; n=$(TZ=UTC systemctl show ")
                    .append(EtcdSnapshotTimer.UNIT).append(".timer -p NextElapseUSecRealtime --value 2>/dev/null);"
                    + " if test -n \"$n\"; then date -d \"$n\" +@%s 2>/dev/null; fi; } | blob ")
                    .append(SNAPSHOTS_BLOB).append('\n');
        }
        certificatePaths(spec, host).forEach((name, path) ->
                s.append("cert ").append(name).append(' ').append(ShellQuote.quote(path)).append('\n'));
        for (RenderedFile file : files) {
            if (file.path().equals(HostsBlock.PATH)) {
                s.append("printf 'hash\\t%s\\t%s\\n' ").append(HostsBlock.PATH).append(" \"$(sed -n ")
                        .append(ShellQuote.quote("/^" + HostsBlock.BEGIN + "/,/^" + HostsBlock.END + "$/p"))
                        .append(' ').append(HostsBlock.PATH).append(" | sha256sum | cut -d' ' -f1)\"\n");
            } else {
                s.append("hash ").append(ShellQuote.quote(file.path())).append('\n');
            }
        }
        if (host.has(Role.CONTROL_PLANE)) {
            s.append("kubeadm certs check-expiration -o json 2>/dev/null | blob kubeadm\n");
        }
        if (leadControlPlane) {
            s.append(KUBECTL).append(" get nodes --no-headers 2>/dev/null | blob nodes\n");
            s.append(KUBECTL).append(" get pods -n kube-system --no-headers 2>/dev/null | blob pods\n");
        }
        if (leadEtcdMember && !spec.stackedEtcd()) {
            String etcdctl = EtcdCtl.command(spec, EtcdUnit.clientUrl(host));
            s.append(etcdctl).append(" endpoint status --cluster -w json 2>/dev/null | blob etcd-status\n");
            s.append(etcdctl).append(" endpoint health --cluster -w json 2>/dev/null | blob etcd-health\n");
            s.append(etcdctl).append(" alarm list 2>/dev/null | blob etcd-alarms\n");
        }
        s.append("true\n");
        return s.toString();
    }

    /** Parses the script's answer; drift lists the rendered files whose hash on the host differs (or are missing). */
    public static Report parse(String host, String output, List<RenderedFile> files) {
        List<Service> services = new ArrayList<>();
        Optional<Boolean> vip = Optional.empty();
        List<CertificateExpiry> certificates = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, String> hashes = new LinkedHashMap<>();
        Map<String, String> blobs = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "service" -> {
                    if (f.length == 4) {
                        services.add(new Service(f[1], f[2].isEmpty() ? "unknown" : f[2],
                                f[3].isEmpty() ? "unknown" : f[3]));
                    }
                }
                case "vip" -> vip = Optional.of(f.length > 1 && f[1].equals("yes"));
                case "cert" -> {
                    if (f.length == 3 && f[2].matches("[0-9]{1,12}")) {
                        certificates.add(new CertificateExpiry(f[1], host, Instant.ofEpochSecond(Long.parseLong(f[2])),
                                f[1].endsWith("-ca")));
                    } else if (f.length == 3) {
                        missing.add(f[1]);
                    }
                }
                case "hash" -> {
                    if (f.length == 3) {
                        hashes.put(f[1], f[2]);
                    }
                }
                default -> {
                    if (f.length == 2 && !f[0].isEmpty()) {
                        blobs.put(f[0], decode(f[1]));
                    }
                }
            }
        }
        List<String> drift = files.stream().filter(file -> !sha256(file.content()).equals(hashes.get(file.path())))
                .map(RenderedFile::path).toList();
        return new Report(host, services, vip, certificates, missing, drift, blobs);
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
