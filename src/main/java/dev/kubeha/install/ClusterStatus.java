package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Role;
import dev.kubeha.pki.CertificateExpiry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One status pass assembled: every host's report, the cluster-wide answers (haproxy's backends, /healthz through the
 * VIP, etcd, nodes, pods), the certificates of the state directory and the jump host, the last backup, and the
 * verdict: the problems that make the cluster degraded and what expires within 30 days. {@link #toJson()} is the
 * documented, stable {@code --output json}.
 */
public record ClusterStatus(ClusterSpec spec, Instant checkedAt, Map<String, Optional<HostSurvey.Report>> hosts,
                            Map<String, String> unreachable, String healthz, boolean healthzOk,
                            List<CertificateExpiry> localCertificates, Optional<BackupRecord> lastBackup) {
    /** An etcd member as {@code endpoint status} and {@code endpoint health} describe it. */
    public record EtcdMember(String endpoint, String id, String version, long dbSize, long revision, boolean leader,
                             boolean learner, boolean healthy) {
    }

    /** A node as {@code kubectl get nodes} lists it. */
    public record Node(String name, boolean ready, String version) {
    }

    /** One haproxy server line of the stats CSV: which LB host saw it, the server and its status (UP, DOWN, …). */
    public record Backend(String loadBalancer, String server, String status) {
    }

    /**
     * An etcd member's local snapshots (etcd.backup): the newest one's time and size, if any, and the timer's next run.
     */
    public record LocalSnapshots(String member, Optional<Instant> lastAt, long lastSizeBytes,
                                 Optional<Instant> nextRunAt) {
    }

    /** What each etcd member reports of its scheduled local snapshots, in the answers' order; empty without them. */
    public List<LocalSnapshots> localSnapshots() {
        List<LocalSnapshots> out = new ArrayList<>();
        hosts.values().forEach(r -> r.ifPresent(report -> {
            String blob = report.blobs().get(HostSurvey.SNAPSHOTS_BLOB);
            if (blob == null) {
                return;
            }
            List<String> lines = blob.lines().toList();
            String[] last = lines.isEmpty() ? new String[0] : lines.get(0).trim().split(" ");
            boolean present = last.length == 2 && last[0].matches("[0-9]{1,12}") && last[1].matches("[0-9]{1,18}");
            String next = lines.size() > 1 ? lines.get(1).trim() : "";
            out.add(new LocalSnapshots(report.host(),
                    present ? Optional.of(Instant.ofEpochSecond(Long.parseLong(last[0]))) : Optional.empty(),
                    present ? Long.parseLong(last[1]) : 0,
                    next.matches("@[0-9]{1,12}") ? Optional.of(Instant.ofEpochSecond(Long.parseLong(next.substring(1))))
                            : Optional.empty()));
        }));
        return out;
    }

    /** Every certificate seen: on the hosts, kubeadm's, in the state directory and on the jump host. */
    public List<CertificateExpiry> certificates() {
        List<CertificateExpiry> all = new ArrayList<>(localCertificates);
        hosts.values().forEach(r -> r.ifPresent(report -> {
            all.addAll(report.certificates());
            all.addAll(kubeadmCertificates(report.host(), report.blobs().getOrDefault("kubeadm", "")));
        }));
        return all;
    }

    /** Leaves (not CAs) that expire within 30 days: {@code status} exits 1 and {@code apply} warns about them. */
    public List<CertificateExpiry> expiringSoon() {
        return certificates().stream().filter(c -> !c.ca() && c.expiresWithin(CertificateExpiry.WARN_WITHIN, checkedAt))
                .toList();
    }

    public Optional<String> vipHolder() {
        return hosts.values().stream().flatMap(Optional::stream).filter(r -> r.holdsVip().orElse(false))
                .map(HostSurvey.Report::host).findFirst();
    }

    public List<Backend> backends() {
        List<Backend> out = new ArrayList<>();
        hosts.values().forEach(r -> r.ifPresent(report -> {
            for (String line : report.blobs().getOrDefault("haproxy", "").split("\n")) {
                String[] f = line.split(",", -1);
                if (f.length > 17 && f[0].equals("kube-apiserver") && !f[1].equals("FRONTEND")
                        && !f[1].equals("BACKEND")) {
                    out.add(new Backend(report.host(), f[1], f[17]));
                }
            }
        }));
        return out;
    }

    public List<EtcdMember> etcdMembers() {
        Optional<HostSurvey.Report> lead = reportWith("etcd-status");
        if (lead.isEmpty()) {
            return List.of();
        }
        Map<String, Boolean> health = new LinkedHashMap<>();
        for (Map<String, Object> h : list(lead.get().blobs().getOrDefault("etcd-health", ""))) {
            health.put(String.valueOf(h.get("endpoint")), Boolean.TRUE.equals(h.get("health")));
        }
        List<EtcdMember> members = new ArrayList<>();
        for (Map<String, Object> entry : list(lead.get().blobs().get("etcd-status"))) {
            Map<String, Object> status = map(entry.get("Status"));
            Map<String, Object> header = map(status.get("header"));
            String id = String.valueOf(header.get("member_id"));
            String endpoint = String.valueOf(entry.get("Endpoint"));
            members.add(new EtcdMember(endpoint, id, String.valueOf(status.get("version")), number(status.get("dbSize")),
                    number(header.get("revision")), id.equals(String.valueOf(status.get("leader"))),
                    Boolean.TRUE.equals(status.get("isLearner")), health.getOrDefault(endpoint, false)));
        }
        return members;
    }

    public List<String> etcdAlarms() {
        return reportWith("etcd-status").map(r -> r.blobs().getOrDefault("etcd-alarms", "").lines()
                .filter(l -> !l.isBlank()).toList()).orElse(List.of());
    }

    public List<Node> nodes() {
        return reportWith("nodes").map(r -> r.blobs().get("nodes").lines().map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length >= 5).map(f -> new Node(f[0], f[1].equals("Ready"), f[4])).toList())
                .orElse(List.of());
    }

    /** kube-system pods that are not Running, as {@code name status}. */
    public List<String> podsNotRunning() {
        return reportWith("pods").map(r -> r.blobs().get("pods").lines().map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length >= 3 && !f[2].equals("Running")).map(f -> f[0] + " " + f[2]).toList())
                .orElse(List.of());
    }

    /** What makes the cluster degraded, one line each; empty when it is healthy. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        unreachable.forEach((host, why) -> problems.add(host + ": unreachable: " + why));
        hosts.values().forEach(r -> r.ifPresent(report -> {
            report.services().stream().filter(s -> !s.ok()).forEach(s -> problems.add(report.host() + ": "
                    + s.name() + " is " + s.active() + ", " + s.enabled()));
            report.missingCertificates().forEach(c -> problems.add(report.host() + ": certificate " + c
                    + " is missing"));
            report.drift().forEach(path -> problems.add(report.host() + ": " + path
                    + " differs from what the answers render"));
        }));
        if (!spec.hostsWith(Role.LOAD_BALANCER).isEmpty() && vipHolder().isEmpty()) {
            problems.add("no load-balancer host holds the VIP " + spec.loadBalancer().vip());
        }
        backends().stream().filter(b -> !b.status().startsWith("UP"))
                .forEach(b -> problems.add(b.loadBalancer() + ": haproxy backend " + b.server() + " is " + b.status()));
        if (!healthzOk) {
            problems.add("/healthz: " + healthz);
        }
        if (!spec.stackedEtcd()) {
            List<EtcdMember> members = etcdMembers();
            if (members.size() != spec.hostsWith(Role.ETCD).size()) {
                problems.add("etcd: " + members.size() + " of " + spec.hostsWith(Role.ETCD).size()
                        + " members answered");
            }
            members.stream().filter(m -> !m.healthy()).forEach(m -> problems.add("etcd: " + m.endpoint()
                    + " is not healthy"));
            if (members.stream().noneMatch(EtcdMember::leader) && !members.isEmpty()) {
                problems.add("etcd: no leader");
            }
            etcdAlarms().forEach(a -> problems.add("etcd alarm: " + a));
        }
        List<Node> nodes = nodes();
        long expected = spec.hosts().stream().filter(h -> h.has(Role.CONTROL_PLANE)
                || h.has(Role.WORKER)).count();
        if (nodes.size() != expected) {
            problems.add("kubernetes: " + nodes.size() + " of " + expected + " nodes registered");
        }
        nodes.stream().filter(n -> !n.ready()).forEach(n -> problems.add("node " + n.name() + " is not Ready"));
        podsNotRunning().forEach(p -> problems.add("kube-system pod " + p));
        return problems;
    }

    /** 0 healthy, 1 degraded or something expires within 30 days. */
    public int exitCode() {
        return problems().isEmpty() && expiringSoon().isEmpty() ? 0 : 1;
    }

    /** The stable JSON document of {@code kubeha status --output json} (schema in the README). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema", "kubeha.dev/status/v1");
        json.put("cluster", spec.cluster().name());
        json.put("checkedAt", checkedAt.toString());
        json.put("healthy", problems().isEmpty());
        json.put("exitCode", exitCode());
        json.put("problems", problems());
        json.put("expiringSoon", expiringSoon().stream().map(this::certificate).toList());
        List<Object> hostList = new ArrayList<>();
        for (Map.Entry<String, Optional<HostSurvey.Report>> e : hosts.entrySet()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("name", e.getKey());
            h.put("reachable", e.getValue().isPresent());
            h.put("error", unreachable.get(e.getKey()));
            e.getValue().ifPresent(r -> {
                h.put("services", r.services().stream().map(s -> Map.of("name", s.name(), "active", s.active(),
                        "enabled", s.enabled())).toList());
                h.put("holdsVip", r.holdsVip().orElse(null));
                h.put("drift", r.drift());
            });
            hostList.add(h);
        }
        json.put("hosts", hostList);
        Map<String, Object> vip = new LinkedHashMap<>();
        vip.put("address", spec.loadBalancer().vip());
        vip.put("holder", vipHolder().orElse(null));
        vip.put("healthz", healthz);
        vip.put("healthzOk", healthzOk);
        vip.put("backends", backends().stream().map(b -> Map.of("loadBalancer", b.loadBalancer(), "server",
                b.server(), "status", b.status())).toList());
        json.put("vip", vip);
        Map<String, Object> etcd = new LinkedHashMap<>();
        etcd.put("members", etcdMembers().stream().map(m -> {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("endpoint", m.endpoint());
            member.put("id", m.id());
            member.put("version", m.version());
            member.put("dbSizeBytes", m.dbSize());
            member.put("revision", m.revision());
            member.put("leader", m.leader());
            member.put("learner", m.learner());
            member.put("healthy", m.healthy());
            return member;
        }).toList());
        etcd.put("alarms", etcdAlarms());
        etcd.put("localSnapshots", localSnapshots().stream().map(l -> {
            Map<String, Object> snapshots = new LinkedHashMap<>();
            snapshots.put("member", l.member());
            snapshots.put("lastAt", l.lastAt().map(Instant::toString).orElse(null));
            snapshots.put("lastSizeBytes", l.lastAt().isPresent() ? l.lastSizeBytes() : null);
            snapshots.put("nextRunAt", l.nextRunAt().map(Instant::toString).orElse(null));
            return snapshots;
        }).toList());
        json.put("etcd", etcd);
        json.put("nodes", nodes().stream().map(n -> Map.of("name", n.name(), "ready", n.ready(), "version",
                n.version())).toList());
        json.put("kubeSystemPodsNotRunning", podsNotRunning());
        json.put("certificates", certificates().stream().map(this::certificate).toList());
        json.put("lastBackup", lastBackup.map(BackupRecord::toJson).orElse(null));
        return json;
    }

    Map<String, Object> certificate(CertificateExpiry c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("location", c.location());
        m.put("notAfter", c.notAfter().toString());
        m.put("daysLeft", c.daysLeft(checkedAt));
        m.put("ca", c.ca());
        return m;
    }

    private Optional<HostSurvey.Report> reportWith(String blob) {
        return hosts.values().stream().flatMap(Optional::stream).filter(r -> r.blobs().containsKey(blob))
                .findFirst();
    }

    /** kubeadm's {@code certs check-expiration -o json}: certificates and CAs, the missing ones left out. */
    static List<CertificateExpiry> kubeadmCertificates(String host, String json) {
        Map<String, Object> doc = json.isBlank() ? Map.of() : map(parse(json));
        List<CertificateExpiry> out = new ArrayList<>();
        for (String key : List.of("certificates", "certificateAuthorities")) {
            Object entries = doc.get(key);
            if (!(entries instanceof List<?> list)) {
                continue;
            }
            for (Object entry : list) {
                Map<String, Object> c = map(entry);
                Object date = c.get("expirationDate");
                if (Boolean.TRUE.equals(c.get("missing")) || date == null) {
                    continue;
                }
                Instant notAfter = date instanceof Date d ? d.toInstant() : Instant.parse(date.toString());
                out.add(new CertificateExpiry("kubeadm:" + c.get("name"), host, notAfter,
                        key.equals("certificateAuthorities")));
            }
        }
        return out;
    }

    private static Object parse(String json) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(json);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String json) {
        Object parsed = json == null || json.isBlank() ? null : parse(json);
        return parsed instanceof List<?> l ? l.stream().filter(Map.class::isInstance)
                .map(o -> (Map<String, Object>) o).toList() : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
