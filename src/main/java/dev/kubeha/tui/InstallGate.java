package dev.kubeha.tui;

import dev.kubeha.facts.PreflightResult;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.plan.Install;
import dev.kubeha.render.Topology;
import dev.kubeha.tui.probe.ProbeReport.Outcome;
import dev.kubeha.tui.probe.ProbeReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What stands between Install and the hosts: the live checks' failures, each with its field, then the confirmation. */
final class InstallGate {
    /** A failure of the live preflight and the field that fixes it. */
    record Failure(String text, String path) {
    }

    private InstallGate() {
    }

    /**
     * Hosts that cannot be reached or logged in to, untrusted keys, failed preflight verdicts, a refused membership
     * change, a VIP in use.
     */
    static List<Failure> failures(ClusterSpec spec, LiveState live) {
        List<Failure> out = new ArrayList<>();
        LiveChecks.Result checks = live.checks();
        for (int i = 0; i < spec.hosts().size(); i++) {
            HostSpec host = spec.hosts().get(i);
            LiveChecks.Row row = checks.row(i);
            Optional<Outcome> outcome = row.report().map(ProbeReport::outcome);
            String who = "Host " + (i + 1) + " (" + host.name() + ")";
            if (outcome.filter(o -> o == Outcome.HOST_KEY_UNKNOWN || o == Outcome.HOST_KEY_CHANGED).isPresent()) {
                out.add(new Failure(who + ": host key not trusted (t on the Hosts table answers it)",
                        "hosts[" + i + "].address"));
            } else if (row.tone() == LiveChecks.Tone.BAD) {
                out.add(new Failure(who + " " + host.address() + ": " + row.compact(), "hosts[" + i + "].address"));
            }
        }
        for (PreflightResult r : checks.cluster()) {
            if (r.status() == PreflightResult.Status.FAIL) {
                out.add(new Failure(r.check() + ": " + r.reason(), "hosts"));
            }
        }
        live.membershipRefusals(spec).forEach(r -> out.add(new Failure("refused: " + r, "hosts")));
        live.vipLine().filter(l -> l.tone() == LiveChecks.Tone.BAD)
                .ifPresent(l -> out.add(new Failure("VIP " + l.text(), "loadBalancer.vip")));
        return out;
    }

    /** What Install will do, for the operator to confirm before anything is written. */
    static List<String> confirmation(ClusterSpec spec, Path answers, Path stateDir, boolean checked) {
        List<String> lines = new ArrayList<>();
        lines.add("Install Kubernetes " + spec.cluster().kubernetesVersion() + " as cluster " + spec.cluster().name()
                + " (API " + Topology.controlPlaneEndpoint(spec) + ") on " + spec.hosts().size() + " host"
                + (spec.hosts().size() == 1 ? "" : "s") + ":");
        for (HostSpec h : spec.hosts()) {
            lines.add("  " + h.name() + " " + h.address() + "  " + String.join(",", h.roles().stream().sorted()
                    .map(HostsScreen.SHORT::get).toList()));
        }
        lines.add("Phases: " + String.join(", ", Install.WORKFLOW.phaseNames()) + ".");
        lines.add("This CHANGES THE HOSTS: it installs packages, writes configuration and starts services.");
        lines.add("It saves the answers to " + answers + ", then creates the cluster's CA and secrets in "
                + stateDir + ".");
        if (!checked) {
            lines.add("The live checks are off: the install's own preflight checks the hosts first.");
        }
        return lines;
    }
}
