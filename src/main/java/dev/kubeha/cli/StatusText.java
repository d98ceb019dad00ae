package dev.kubeha.cli;

import dev.kubeha.install.ClusterStatus;
import dev.kubeha.install.HostSurvey;
import dev.kubeha.model.Printable;
import dev.kubeha.pki.CertificateExpiry;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The text form of a status pass and of a certificate check, as {@code status} and {@code certs check} print them. */
final class StatusText {
    private StatusText() {
    }

    static String of(ClusterStatus status) {
        StringBuilder out = new StringBuilder();
        List<String> problems = status.problems();
        out.append("cluster ").append(status.spec().cluster().name()).append(": ")
                .append(problems.isEmpty() ? "healthy" : "degraded").append(" (checked ").append(status.checkedAt())
                .append(")\n");
        for (Map.Entry<String, Optional<HostSurvey.Report>> e : status.hosts().entrySet()) {
            out.append("  ").append(e.getKey()).append(": ");
            if (e.getValue().isEmpty()) {
                out.append("unreachable: ").append(status.unreachable().getOrDefault(e.getKey(), "")).append('\n');
                continue;
            }
            HostSurvey.Report r = e.getValue().get();
            out.append(r.services().stream().map(s -> s.name() + " " + (s.ok() ? "ok" : s.active() + "/"
                    + s.enabled())).collect(Collectors.joining(", ")));
            r.holdsVip().filter(Boolean::booleanValue).ifPresent(v -> out.append(", holds the VIP"));
            if (!r.drift().isEmpty()) {
                out.append(", drift: ").append(String.join(" ", r.drift()));
            }
            out.append('\n');
        }
        out.append("VIP ").append(status.spec().loadBalancer().vip()).append(": held by ")
                .append(status.vipHolder().orElse("nobody")).append("; ").append(status.healthz()).append('\n');
        status.backends().forEach(b -> out.append("  haproxy on ").append(b.loadBalancer()).append(": ")
                .append(b.server()).append(' ').append(b.status()).append('\n'));
        if (!status.spec().stackedEtcd()) {
            out.append("etcd:\n");
            status.etcdMembers().forEach(m -> out.append("  ").append(m.endpoint()).append(m.leader() ? " leader" : "")
                    .append(m.learner() ? " learner" : "").append(" v").append(m.version()).append(" db ")
                    .append(m.dbSize()).append(" B rev ").append(m.revision()).append(m.healthy() ? " healthy"
                            : " UNHEALTHY").append('\n'));
            status.etcdAlarms().forEach(a -> out.append("  alarm: ").append(a).append('\n'));
            status.localSnapshots().forEach(l -> out.append("  ").append(l.member()).append(" local snapshots: ")
                    .append(l.lastAt().map(t -> "last " + t + " (" + l.lastSizeBytes() + " B)").orElse("none yet"))
                    .append(", next ").append(l.nextRunAt().map(Instant::toString).orElse("not scheduled"))
                    .append('\n'));
        }
        out.append("nodes:");
        status.nodes().forEach(n -> out.append(' ').append(n.name()).append('(').append(n.ready() ? "Ready"
                : "NotReady").append(' ').append(n.version()).append(')'));
        out.append('\n');
        status.podsNotRunning().forEach(p -> out.append("  kube-system pod not running: ").append(p).append('\n'));
        out.append(certificates(status));
        out.append("last etcd backup: ").append(status.lastBackup().map(b -> b.record() + " (" + b.takenAt() + ")")
                .orElse("none in the state directory")).append('\n');
        problems.forEach(p -> out.append("problem: ").append(p).append('\n'));
        return printable(out.toString());
    }

    static String certificates(ClusterStatus status) {
        StringBuilder out = new StringBuilder("certificates (days left):\n");
        status.certificates().stream().sorted(Comparator.comparing(CertificateExpiry::notAfter)).forEach(c ->
                out.append(String.format("  %5d  %-32s %-14s %s%s%n", c.daysLeft(status.checkedAt()), c.name(),
                        c.location(), c.notAfter(), c.ca() ? " (CA)" : "")));
        status.expiringSoon().forEach(c -> out.append("expires within 30 days: ").append(c.name()).append(" on ")
                .append(c.location()).append(" (").append(c.notAfter()).append(")\n"));
        return printable(out.toString());
    }

    /** Host answers may carry control characters: each line is shown escaped. */
    private static String printable(String text) {
        return text.lines().map(Printable::of).collect(Collectors.joining("\n", "", "\n"));
    }
}
