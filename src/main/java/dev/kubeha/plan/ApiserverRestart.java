package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.HaproxyConfig;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One control plane's kube-apiserver restarted behind every haproxy without a refused request: its backend drained
 * on each load balancer through haproxy's runtime API (no new connection, the open ones given time to end), the
 * restart, its /healthz answering on its own address, then the backend ready again and UP on each load balancer.
 * Each of these is a step with its own check, so a failed or interrupted round resumes where it stopped; a marker
 * per load balancer and control plane names the round whose restart is complete there.
 */
final class ApiserverRestart {
    static final String READY_DIR = "/var/lib/kubeha/haproxy-ready";
    /** How long a drained backend's open connections get to end; the apiserver's shutdown closes what remains. */
    static final Duration SESSIONS_END = Duration.ofSeconds(15);
    static final Duration BACK_UP = Duration.ofSeconds(60);
    private static final Pattern ROUND = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}");
    private static final String CLIENT = "my $s = IO::Socket::UNIX->new(Peer => shift) or die \"haproxy runtime API:"
            + " $!\\n\"; print $s \"@ARGV\\n\"; print while <$s>";

    private ApiserverRestart() {
    }

    /**
     * The phases around a restart on one control plane: drained on every load balancer ({@code NAME-drain}), the
     * restart steps and the apiserver healthy on its host ({@code NAME}), ready again everywhere
     * ({@code NAME-ready}). Only the middle phase without load-balancer hosts (an external load balancer) or with a
     * single control plane, which no other apiserver can stand in for.
     *
     * @param round names this restart (the renewal's start, the upgrade's target); the same round is not repeated
     */
    static List<Phase> around(String name, ClusterSpec spec, HostSpec controlPlane, String round,
                              List<Step> restart) {
        if (!ROUND.matcher(round).matches()) {
            throw new IllegalArgumentException("not a restart round name: " + round);
        }
        List<HostSpec> balancers = spec.hostsWith(Role.CONTROL_PLANE).size() < 2 ? List.of()
                : spec.hostsWith(Role.LOAD_BALANCER);
        String server = controlPlane.name();
        List<Step> onHost = new ArrayList<>(restart);
        onHost.add(Step.of("apiserver.healthy", "Wait until the kube-apiserver answers /healthz on "
                + controlPlane.address(), server, List.of())
                .verifiedBy(Verification.within(Kube.API_START, healthyOn(controlPlane)))
                .withTimeout(Kube.API_START.plusMinutes(1)).onEveryRun());
        List<Phase> phases = new ArrayList<>();
        if (!balancers.isEmpty()) {
            phases.add(Phase.parallel(name + "-drain", "Drain " + server + "'s kube-apiserver on every haproxy",
                    balancers.stream().map(lb -> drain(HaproxyConfig.ADMIN_SOCKET, lb, server, round)).toList()));
        }
        phases.add(Phase.serial(name, "Restart the kube-apiserver on " + server, onHost));
        if (!balancers.isEmpty()) {
            phases.add(Phase.parallel(name + "-ready", "Put " + server + "'s kube-apiserver back on every haproxy",
                    balancers.stream().map(lb -> ready(HaproxyConfig.ADMIN_SOCKET, lb, server, round)).toList()));
        }
        return phases;
    }

    static Step drain(String socket, HostSpec balancer, String server, String round) {
        return Step.of("haproxy.drain." + server, "Drain " + server + " on this haproxy and let its connections end",
                balancer.name(), List.of(RunCommand.unless(roundDone(server, round), drainCommand(socket, server))))
                .verifiedBy(Verification.now(roundDone(server, round) + " || " + drained(socket, server)))
                .withTimeout(SESSIONS_END.plusMinutes(1)).onEveryRun();
    }

    static Step ready(String socket, HostSpec balancer, String server, String round) {
        return Step.of("haproxy.ready." + server, "Put " + server + " back on this haproxy and wait until it is UP",
                balancer.name(), List.of(RunCommand.unless(roundDone(server, round), readyCommand(socket, server)
                        + " && mkdir -p " + READY_DIR + " && echo " + round + " > " + marker(server))))
                .verifiedBy(Verification.within(BACK_UP, status(socket, server) + " | grep -qx UP"))
                .withTimeout(BACK_UP.plusMinutes(1)).onEveryRun();
    }

    /**
     * Refuses when no other server of the backend is UP (draining would cut the API off), sets the server to drain,
     * then waits until it has no session left or {@link #SESSIONS_END} passed.
     */
    static String drainCommand(String socket, String server) {
        String name = ShellQuote.quote(server);
        return "up=$(" + cli(socket, "show stat -1 4 -1") + " | awk -F, -v s=" + name + " '$1 == \""
                + HaproxyConfig.BACKEND + "\" && $2 != s && $18 == \"UP\"' | wc -l) && { test \"$up\" -gt 0 || { echo"
                + " \"no other kube-apiserver is UP behind this haproxy: draining \"" + name + "\" would cut the API"
                + " off\" >&2; exit 1; }; } && " + set(socket, server, "drain") + " && for i in $(seq "
                + SESSIONS_END.toSeconds() + "); do test \"$(" + field(socket, server, 5) + ")\" = 0 && break;"
                + " sleep 1; done";
    }

    static String readyCommand(String socket, String server) {
        return set(socket, server, "ready");
    }

    /** The server's administrative state on this haproxy includes drain (show servers state: 0x08). */
    static String drained(String socket, String server) {
        return cli(socket, "show servers state " + HaproxyConfig.BACKEND) + " | awk -v s=" + ShellQuote.quote(server)
                + " '$4 == s && int($7 / 8) % 2 == 1 {found=1} END {exit !found}'";
    }

    /** The server's status in haproxy's statistics: UP, DOWN, DRAIN, MAINT, "UP 1/2"... */
    static String status(String socket, String server) {
        return field(socket, server, 18);
    }

    /** One line to haproxy's runtime API and its answer, with perl (Debian's essential perl-base has the module). */
    static String cli(String socket, String command) {
        return "perl -MIO::Socket::UNIX -e " + ShellQuote.quote(CLIENT) + " " + ShellQuote.quote(socket) + " "
                + ShellQuote.quote(command);
    }

    private static String set(String socket, String server, String state) {
        return "out=$(" + cli(socket, "set server " + HaproxyConfig.BACKEND + "/" + server + " state " + state)
                + ") && { test -z \"$(printf %s \"$out\" | tr -d '[:space:]')\" || { echo \"haproxy: $out\" >&2;"
                + " exit 1; }; }";
    }

    private static String field(String socket, String server, int column) {
        return cli(socket, "show stat -1 4 -1") + " | awk -F, -v s=" + ShellQuote.quote(server) + " '$1 == \""
                + HaproxyConfig.BACKEND + "\" && $2 == s {print $" + column + "}'";
    }

    private static String roundDone(String server, String round) {
        return "grep -qxF " + round + " " + marker(server) + " 2>/dev/null";
    }

    private static String marker(String server) {
        return ShellQuote.quote(READY_DIR + "/" + server);
    }

    /** /healthz answers on the control plane's own address, with the cluster CA. */
    static String healthyOn(HostSpec controlPlane) {
        return "curl -sf --max-time 2 --cacert " + RenewalPhases.CLUSTER_CA + " -o /dev/null "
                + ShellQuote.quote("https://" + Topology.hostPort(controlPlane.address(), Topology.APISERVER_PORT)
                + "/healthz");
    }
}
