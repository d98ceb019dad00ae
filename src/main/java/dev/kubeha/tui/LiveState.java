package dev.kubeha.tui;

import dev.kubeha.facts.PreflightResult;
import dev.kubeha.facts.VipReply;
import dev.kubeha.install.AppliedRecord;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateException;
import dev.kubeha.state.StateHome;
import dev.kubeha.tui.probe.HostKeyTrust;
import dev.kubeha.tui.probe.LiveProbes;
import dev.kubeha.tui.probe.ProbeReport.Outcome;
import dev.kubeha.tui.probe.ProbeReport;
import dev.kubeha.tui.probe.ProbeRunner;
import dev.kubeha.tui.probe.ProbeStatus;
import dev.kubeha.tui.probe.ProbeTarget;
import dev.kubeha.tui.probe.VipProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The wizard's live checks of the current answers: after every edit it tells its runners which hosts and which VIP
 * to check (each on its own bounded pool, debounced, stale checks cancelled) and reads their results with the answers.
 */
final class LiveState implements AutoCloseable {
    static final Duration DEBOUNCE = Duration.ofMillis(600);
    private static final int HOST_THREADS = 4;

    /** The VIP line of the load-balancer screen. */
    record VipLine(String text, LiveChecks.Tone tone) {
    }

    private final StateHome home;
    private final Optional<HostKeyTrust> trust;
    private final Optional<ProbeRunner<ProbeTarget, ProbeReport>> hosts;
    private final Optional<ProbeRunner<VipProbe.Target, VipProbe.Answer>> vip;
    private List<Optional<ProbeTarget>> targets = List.of();
    private Optional<VipProbe.Target> vipTarget = Optional.empty();
    private ClusterSpec spec;
    private LiveChecks.Result result = LiveChecks.Result.EMPTY;

    LiveState(Optional<LiveProbes> probes, StateHome home, Duration debounce, Executor gui, Runnable onChange) {
        this.home = home;
        this.trust = probes.map(LiveProbes::trust);
        this.hosts = probes.map(p -> new ProbeRunner<>("probe", p.hosts(), e -> ProbeReport.failed(
                Outcome.SSH_FAILED, "check failed: " + e), HOST_THREADS, debounce, gui, onChange));
        this.vip = probes.map(p -> new ProbeRunner<>("vip", p.vip(), e -> VipProbe.Answer.unchecked(String.valueOf(
                e.getMessage())), 1, debounce, gui, onChange));
    }

    /**
     * The membership change from the topology the cluster's last apply recorded, as plan shows it, one entry a line;
     * empty when nothing was recorded (a new cluster), the record's problem when it is damaged.
     */
    List<String> membership(ClusterSpec spec) {
        try {
            ClusterChange change = change(spec);
            return change.recorded() ? change.report(ClusterChange.Allowed.NOTHING).lines().toList() : List.of();
        } catch (StateException e) {
            return e.getMessage().lines().toList();
        }
    }

    /** The etcd version change from the version the cluster's last apply recorded, as plan shows it, one line each. */
    List<String> etcdVersionChange(ClusterSpec spec) {
        try {
            return AppliedRecord.etcdVersionChangeTo(StateDir.at(home.clusterDir(spec.cluster().name())), spec)
                    .map(c -> c.describe().lines().toList()).orElse(List.of());
        } catch (StateException e) {
            return List.of();
        }
    }

    /** Why Install must not run this membership change (the wizard allows no removal); a damaged record is one. */
    List<String> membershipRefusals(ClusterSpec spec) {
        try {
            return change(spec).refusals(ClusterChange.Allowed.NOTHING);
        } catch (StateException e) {
            return List.of(e.getMessage());
        }
    }

    private ClusterChange change(ClusterSpec spec) {
        return AppliedRecord.changeTo(StateDir.at(home.clusterDir(spec.cluster().name())), spec);
    }

    boolean enabled() {
        return hosts.isPresent();
    }

    /** Brings the wanted checks in line with the answers and reads every result with them. */
    void update(ClusterSpec spec) {
        this.spec = spec;
        Path stateDir = home.clusterDir(spec.cluster().name());
        Path userHome = Path.of(System.getProperty("user.home"));
        List<Optional<ProbeTarget>> wanted = new ArrayList<>();
        for (HostSpec host : spec.hosts()) {
            Optional<ProbeTarget> target = Optional.empty();
            if (hosts.isPresent() && IpLiteral.parse(host.address()).isPresent()) {
                try {
                    target = Optional.of(ProbeTarget.of(host, spec, stateDir, userHome));
                } catch (IllegalArgumentException badBastion) {
                    // the validator reports the bastion; nothing can be reached through it
                }
            }
            wanted.add(target);
        }
        targets = List.copyOf(wanted);
        hosts.ifPresent(r -> r.want(wanted.stream().flatMap(Optional::stream).distinct().toList()));
        vipTarget = IpLiteral.parse(spec.loadBalancer().vip()).map(a -> new VipProbe.Target(a,
                spec.loadBalancer().port()));
        vip.ifPresent(r -> r.want(vipTarget.stream().toList()));
        List<LiveChecks.Input> inputs = targets.stream().map(t -> new LiveChecks.Input(t,
                t.flatMap(target -> hosts.flatMap(r -> r.status(target))))).toList();
        result = LiveChecks.of(spec, inputs, enabled());
    }

    LiveChecks.Result checks() {
        return result;
    }

    Optional<ProbeTarget> target(int row) {
        return row >= 0 && row < targets.size() ? targets.get(row) : Optional.empty();
    }

    boolean anyPending() {
        return hosts.map(ProbeRunner::anyPending).orElse(false) || vip.map(ProbeRunner::anyPending).orElse(false);
    }

    /** F5: every finished check runs again. */
    void recheckAll() {
        hosts.ifPresent(ProbeRunner::recheckFinished);
        vip.ifPresent(ProbeRunner::recheckFinished);
    }

    /**
     * Trusts the key the operator checked and probes again every row that was refused for it (the first records it in
     * the known_hosts).
     */
    void trust(HostKeyPolicy.UnknownKey key) {
        trust.ifPresent(t -> t.trust(key));
        for (int i = 0; i < targets.size(); i++) {
            if (result.row(i).report().flatMap(ProbeReport::unknownKey).filter(key::equals).isPresent()) {
                targets.get(i).ifPresent(t -> hosts.ifPresent(r -> r.recheck(t)));
            }
        }
    }

    /** The first row whose host key needs the operator: unknown or changed. */
    Optional<Integer> firstKeyQuestion() {
        for (int i = 0; i < result.rows().size(); i++) {
            Optional<Outcome> o = result.rows().get(i).report().map(ProbeReport::outcome);
            if (o.isPresent() && (o.get() == Outcome.HOST_KEY_UNKNOWN || o.get() == Outcome.HOST_KEY_CHANGED)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Whether the VIP is free, through preflight's own VIP verdict; empty when there is no VIP to check. */
    Optional<VipLine> vipLine() {
        if (vipTarget.isEmpty() || spec == null) {
            return Optional.empty();
        }
        if (vip.isEmpty()) {
            return Optional.of(new VipLine("off", LiveChecks.Tone.NONE));
        }
        Optional<ProbeStatus<VipProbe.Answer>> status = vip.get().status(vipTarget.get());
        if (status.isEmpty() || status.get() instanceof ProbeStatus.Pending) {
            String stage = status.map(s -> ((ProbeStatus.Pending<VipProbe.Answer>) s).stage()).orElse("waiting");
            return Optional.of(new VipLine("checking whether " + spec.loadBalancer().vip() + " is free (" + stage
                    + ")", LiveChecks.Tone.PENDING));
        }
        VipProbe.Answer answer = ((ProbeStatus.Done<VipProbe.Answer>) status.get()).result();
        if (!answer.answers() && answer.couldNotCheck().isPresent()) {
            return Optional.of(new VipLine(Layout.WARNING + "could not check whether " + spec.loadBalancer().vip()
                    + " is free (" + answer.couldNotCheck().get() + ")", LiveChecks.Tone.WARNING));
        }
        PreflightResult verdict = VipReply.check(spec, result.probed(), a -> answer.answers()).orElseThrow();
        if (verdict.status() != PreflightResult.Status.PASS) {
            return Optional.of(new VipLine(Layout.ERROR + "in use: " + spec.loadBalancer().vip() + " answers on "
                    + String.join(", ", answer.answeredOn()) + " and no host of this cluster holds it",
                    LiveChecks.Tone.BAD));
        }
        return Optional.of(new VipLine(answer.answers() ? verdict.reason() + " (answers on "
                + String.join(", ", answer.answeredOn()) + ")" : "free: nothing answers on "
                + spec.loadBalancer().vip(), LiveChecks.Tone.GOOD));
    }

    /** Preflight's verdicts on the VIP from the probed hosts: on none of their interfaces, inside the LB subnet. */
    List<PreflightResult> vipChecks() {
        return result.all().stream().filter(r -> r.check().startsWith("vip-")).toList();
    }

    @Override
    public void close() {
        hosts.ifPresent(ProbeRunner::close);
        vip.ifPresent(ProbeRunner::close);
    }
}
