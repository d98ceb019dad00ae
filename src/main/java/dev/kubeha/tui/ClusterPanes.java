package dev.kubeha.tui;

import dev.kubeha.install.ClusterStatus;
import dev.kubeha.install.HostSurvey;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Printable;
import dev.kubeha.model.Role;
import dev.kubeha.pki.CertificateExpiry;
import dev.kubeha.render.EtcdUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The Cluster screen's text: one pane per host, and the cluster's VIP, etcd members and nodes. */
final class ClusterPanes {
    private ClusterPanes() {
    }

    /** A host's pane: its services, whether it holds the VIP, its certificates' days left, drift. */
    static List<String> host(ClusterStatus status, String host) {
        Optional<HostSurvey.Report> found = status.hosts().getOrDefault(host, Optional.empty());
        if (found.isEmpty()) {
            return List.of(Printable.of("unreachable: " + status.unreachable().getOrDefault(host, "")));
        }
        HostSurvey.Report report = found.get();
        List<String> lines = new ArrayList<>();
        report.services().forEach(s -> lines.add(s.name() + ": " + (s.ok() ? "ok" : s.active() + ", " + s.enabled())));
        report.holdsVip().filter(Boolean::booleanValue).ifPresent(v -> lines.add("holds the VIP"));
        status.certificates().stream().filter(c -> c.location().equals(host)).forEach(c -> lines.add(
                days(status, c) + " " + c.name()));
        report.drift().forEach(path -> lines.add("drift: " + path));
        return lines.stream().map(Printable::of).toList();
    }

    /** The cluster's pane: VIP holder and /healthz, etcd members with the leader marked, nodes, problems. */
    static List<String> cluster(ClusterStatus status) {
        List<String> lines = new ArrayList<>();
        lines.add("VIP " + status.spec().loadBalancer().vip() + ": " + status.vipHolder().orElse("nobody")
                + (status.healthzOk() ? ", /healthz ok" : ", /healthz FAILS"));
        if (!status.spec().stackedEtcd()) {
            lines.add("etcd: " + status.etcdMembers().stream().map(m -> memberName(status, m.endpoint())
                    + (m.leader() ? "*" : "") + (m.learner() ? " (learner)" : "") + (m.healthy() ? "" : " DOWN"))
                    .collect(Collectors.joining(", ")) + "   (* leader)");
        }
        lines.add("nodes: " + status.nodes().stream().map(n -> n.name() + (n.ready() ? " Ready " : " NotReady ")
                + n.version()).collect(Collectors.joining(", ")));
        status.certificates().stream().filter(c -> c.location().equals("state") || c.location().equals("jump host"))
                .forEach(c -> lines.add(days(status, c) + " " + c.name() + " (" + c.location() + ")"));
        status.problems().forEach(p -> lines.add("problem: " + p));
        return lines.stream().map(Printable::of).toList();
    }

    private static String days(ClusterStatus status, CertificateExpiry c) {
        long days = c.daysLeft(status.checkedAt());
        return String.format("%5dd%s", days, c.ca() ? " CA" : c.expiresWithin(CertificateExpiry.WARN_WITHIN,
                status.checkedAt()) ? " !" : "  ");
    }

    private static String memberName(ClusterStatus status, String endpoint) {
        return status.spec().hostsWith(Role.ETCD).stream().filter(h -> EtcdUnit.clientUrl(h).equals(endpoint))
                .map(HostSpec::name).findFirst().orElse(endpoint);
    }
}
