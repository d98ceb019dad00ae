package dev.kubeha.tui;

import dev.kubeha.facts.ConntrackModule;
import dev.kubeha.facts.FactsException;
import dev.kubeha.facts.FactsProbe;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.Preflight;
import dev.kubeha.facts.PreflightResult.Status;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.facts.ProbedHost;
import dev.kubeha.facts.SupportedOs;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.Role;
import dev.kubeha.tui.probe.ProbeReport.Outcome;
import dev.kubeha.tui.probe.ProbeReport;
import dev.kubeha.tui.probe.ProbeStatus;
import dev.kubeha.tui.probe.ProbeTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each host row shows of its live check: the probe's report read with the current answers, through the same
 * {@link FactsProbe#parse} and {@link Preflight#check} as {@code kubeha apply}, so an edit (a role, the proxy mode, the
 * VIP) changes the verdicts at once without probing again.
 */
final class LiveChecks {
    /** How a row's check reads at a glance. */
    enum Tone { NONE, PENDING, GOOD, WARNING, BAD }

    /** The check of one row: short cells for the wide table, one compact cell for narrow ones, and detail lines. */
    record Row(String reach, String ssh, String os, String kernel, String conntrack, String cpus, String memory,
               String preflight, String compact, List<String> details, Tone tone, Optional<ProbeReport> report) {
        static Row none(String text) {
            return new Row(text, "", "", "", "", "", "", "", text, List.of(), Tone.NONE, Optional.empty());
        }
    }

    /** One row's input: what is probed for it and where that stands. */
    record Input(Optional<ProbeTarget> target, Optional<ProbeStatus<ProbeReport>> status) {
    }

    /**
     * Every row's check, the facts of the probed hosts by name, and the preflight verdicts across hosts.
     *
     * @param note why preflight could not judge the probed hosts, when it could not
     */
    record Result(List<Row> rows, Map<String, ProbedHost> probed, List<PreflightResult> cluster,
                  List<PreflightResult> all, String note) {
        static final Result EMPTY = new Result(List.of(), Map.of(), List.of(), List.of(), "");

        Row row(int index) {
            return index >= 0 && index < rows.size() ? rows.get(index) : Row.none("");
        }
    }

    private LiveChecks() {
    }

    static Result of(ClusterSpec spec, List<Input> inputs, boolean enabled) {
        List<HostSpec> hosts = spec.hosts();
        Map<Integer, ProbedHost> parsed = new LinkedHashMap<>();
        Map<Integer, String> unreadable = new LinkedHashMap<>();
        Map<String, ProbedHost> byName = new LinkedHashMap<>();
        for (int i = 0; i < hosts.size() && i < inputs.size(); i++) {
            Optional<ProbeReport.FactsOutput> out = report(inputs.get(i)).flatMap(ProbeReport::facts);
            if (out.isEmpty()) {
                continue;
            }
            try {
                ProbedHost p = FactsProbe.parse(spec, hosts.get(i), out.get().stdout(), out.get().stderr(),
                        out.get().before(), out.get().after());
                parsed.put(i, p);
                byName.putIfAbsent(hosts.get(i).name(), p);
            } catch (FactsException e) {
                unreadable.put(i, e.getMessage());
            }
        }
        List<PreflightResult> all = List.of();
        String note = "";
        if (!byName.isEmpty()) {
            try {
                all = Preflight.check(spec, byName).stream().filter(r -> !r.check().equals("facts")).toList();
            } catch (RuntimeException e) {
                note = "preflight cannot judge these answers yet: " + e.getMessage();
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            HostSpec host = hosts.get(i);
            Input input = i < inputs.size() ? inputs.get(i) : new Input(Optional.empty(), Optional.empty());
            if (input.target().isEmpty()) {
                rows.add(Row.none(enabled || IpLiteral.parse(host.address()).isEmpty() ? "-" : "off"));
                continue;
            }
            Optional<ProbeStatus<ProbeReport>> status = input.status();
            if (status.isEmpty() || status.get() instanceof ProbeStatus.Pending) {
                String stage = status.map(s -> ((ProbeStatus.Pending<ProbeReport>) s).stage()).orElse("waiting");
                rows.add(new Row("…", "", "", "", "", "", "", "", "checking: " + stage,
                        List.of(where(host, input) + ": checking (" + stage + ")"), Tone.PENDING, Optional.empty()));
                continue;
            }
            ProbeReport report = ((ProbeStatus.Done<ProbeReport>) status.get()).result();
            List<PreflightResult> mine = all.stream().filter(r -> r.host().equals(host.name())).toList();
            rows.add(row(spec, host, input, report, Optional.ofNullable(parsed.get(i)),
                    Optional.ofNullable(unreadable.get(i)), mine));
        }
        List<PreflightResult> cluster = all.stream().filter(r -> r.host().equals(PreflightResult.CLUSTER)
                && r.status() != Status.PASS).toList();
        return new Result(List.copyOf(rows), Map.copyOf(byName), cluster, all, note);
    }

    private static Optional<ProbeReport> report(Input input) {
        return input.status().filter(s -> s instanceof ProbeStatus.Done)
                .map(s -> ((ProbeStatus.Done<ProbeReport>) s).result());
    }

    private static String where(HostSpec host, Input input) {
        return (host.name().isEmpty() ? "host" : host.name()) + " "
                + input.target().map(t -> t.ssh().where()).orElse(host.address());
    }

    private static Row row(ClusterSpec spec, HostSpec host, Input input, ProbeReport report,
                           Optional<ProbedHost> probed, Optional<String> unreadable, List<PreflightResult> mine) {
        Outcome outcome = report.outcome();
        boolean bastion = input.target().map(t -> t.ssh().bastion().isPresent()).orElse(false);
        String reach = report.reachable() ? "ok " + report.latency().toMillis() + "ms"
                : bastion && outcome != Outcome.REFUSED && outcome != Outcome.UNREACHABLE ? "via bastion"
                : switch (outcome) {
                    case REFUSED -> "refused";
                    case TIMEOUT -> "timeout";
                    case UNREACHABLE -> "unreachable";
                    default -> "-";
                };
        boolean sudo = input.target().map(t -> !t.ssh().root()).orElse(false);
        String ssh = switch (outcome) {
            case PROBED, FACTS_FAILED -> sudo ? "ok, sudo ok" : "ok";
            case SUDO_FAILED -> "sudo failed";
            case AUTH_FAILED -> "auth failed";
            case HOST_KEY_UNKNOWN -> "key unknown";
            case HOST_KEY_CHANGED -> "KEY CHANGED";
            case SSH_FAILED -> "failed";
            case TIMEOUT -> report.reachable() ? "timeout" : "-";
            case REACHABLE -> "not tried";
            default -> "-";
        };
        List<String> details = new ArrayList<>();
        String head = where(host, input) + ": ";
        if (!outcome.ok()) {
            String hint = switch (outcome) {
                case HOST_KEY_UNKNOWN -> " (F6, or t on the table: check and trust it)";
                case HOST_KEY_CHANGED -> " (F6, or t on the table: what to do)";
                default -> "";
            };
            details.add(head + report.reason() + hint);
            return new Row(reach, ssh, "", "", "", "", "", "", report.reason(), details, Tone.BAD,
                    Optional.of(report));
        }
        String connection = head + (report.reachable() ? "port answers in " + report.latency().toMillis() + " ms ("
                + report.banner() + ")" : "reached through the bastion") + (outcome == Outcome.PROBED
                ? "; login ok" + (sudo ? ", sudo ok" : "") : "");
        if (unreadable.isPresent()) {
            details.add("facts: " + unreadable.get());
            details.add(connection);
            return new Row(reach, ssh, "?", "", "", "", "", "facts unreadable", "facts: " + unreadable.get(),
                    details, Tone.BAD, Optional.of(report));
        }
        if (probed.isEmpty()) {
            details.add(connection);
            return new Row(reach, ssh, "", "", "", "", "", "", report.summary(), details, Tone.GOOD,
                    Optional.of(report));
        }
        HostFacts f = probed.get().facts();
        Optional<PreflightResult> os = check(mine, "os");
        String osName = SupportedOs.find(f.osId(), f.osVersion()).map(r -> r.name() + " " + f.osVersion())
                .orElse(f.osId() + " " + f.osVersion());
        String osCell = mark(os) + osName;
        String kernel = mark(check(mine, "kernel")) + f.kernel();
        String conntrack = conntrack(probed.get(), report);
        boolean controlPlane = host.has(Role.CONTROL_PLANE);
        String cpus = mark(check(mine, "cpus")) + f.cpus();
        String memory = mark(check(mine, "memory")) + f.memoryMb() + "M";
        List<PreflightResult> problems = mine.stream().filter(r -> r.status() != Status.PASS)
                .sorted((a, b) -> b.status().compareTo(a.status())).toList();
        String preflight = problems.isEmpty() ? "ok" : mark(Optional.of(problems.get(0))) + problems.get(0).check()
                + (problems.size() > 1 ? " +" + (problems.size() - 1) : "");
        Tone tone = problems.stream().anyMatch(r -> r.status() == Status.FAIL) ? Tone.BAD
                : problems.isEmpty() ? Tone.GOOD : Tone.WARNING;
        String compact = problems.isEmpty() ? "ok " + osName : preflight;
        details.add(host.name() + ": " + osName + (os.map(r -> r.status() == Status.PASS).orElse(false)
                ? " (supported)" : " (not supported)") + " · kernel " + f.kernel() + " · " + conntrack + " · "
                + f.cpus() + " CPU" + (f.cpus() == 1 ? "" : "s") + " · " + f.memoryMb() + " MB" + (controlPlane
                ? " (control plane: at least " + Preflight.MIN_CPUS + " CPUs, " + Preflight.MIN_MEMORY_MB + " MB)"
                : ""));
        for (PreflightResult r : problems) {
            details.add(mark(Optional.of(r)) + r.check() + ": " + r.reason());
        }
        details.add(connection);
        return new Row(reach, ssh, osCell, kernel, conntrack, cpus, memory, preflight, compact, details, tone,
                Optional.of(report));
    }

    private static Optional<PreflightResult> check(List<PreflightResult> results, String name) {
        return results.stream().filter(r -> r.check().equals(name)).findFirst();
    }

    private static String mark(Optional<PreflightResult> result) {
        return result.map(r -> switch (r.status()) {
            case PASS -> "";
            case WARN -> Layout.WARNING;
            case FAIL -> Layout.ERROR;
        }).orElse("");
    }

    /** The connection-tracking module the host's kernel has, and how the probe found it. */
    static String conntrack(ProbedHost p, ProbeReport report) {
        String chosen = p.facts().conntrackModule();
        if (!p.modules().contains(chosen)) {
            return Layout.ERROR + "no " + ConntrackModule.MERGED + " or " + ConntrackModule.LEGACY_IPV4 + " module";
        }
        String how = report.facts().flatMap(out -> out.stdout().lines()
                .filter(l -> l.startsWith("module=" + chosen + " ")).findFirst())
                .map(l -> l.substring(("module=" + chosen + " ").length()).strip()).orElse("");
        return chosen + switch (how) {
            case "modinfo" -> " (modinfo)";
            case "sysfs" -> " (loaded)";
            case "builtin" -> " (built in)";
            default -> "";
        };
    }
}
