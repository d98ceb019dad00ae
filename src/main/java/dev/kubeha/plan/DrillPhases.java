package dev.kubeha.plan;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The drill workflow's phases. Each drill is one script on one host that stops one thing, measures, and puts it
 * back in an EXIT trap, so it is put back when the drill fails, times out, is cancelled or loses its connection.
 */
final class DrillPhases {
    static final String CA = "/var/lib/kubeha/drill/ca.crt";
    static final int WAIT_LIMIT_SECONDS = 60;
    /** How long the etcd drill keeps its member stopped while writes go on. */
    static final int ETCD_DOWN_SECONDS = 3;
    /** How long the control-plane drill keeps its kube-apiserver stopped: past haproxy's fall × inter. */
    static final int APISERVER_DOWN_SECONDS = 8;
    private static final String HELPERS = """
            now() { date +%s.%N; }
            secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
            wait_for() { local end=$(( $(date +%s) + LIMIT )); until "$@"; do [ "$(date +%s)" -lt "$end" ] || \
            { echo "gave up after LIMIT s waiting for: $*" >&2; return 1; }; sleep 0.05; done; }
            healthz() { curl -sf --max-time 1 --cacert CA URL >/dev/null 2>&1; }
            """;

    private DrillPhases() {
    }

    /** Every service the drills touch is up and /healthz answers through the VIP, or nothing is stopped. */
    static Optional<Phase> health(String name, DrillInput in) {
        List<Step> steps = new ArrayList<>();
        String healthz = healthz(in);
        for (HostSpec host : in.spec().hosts()) {
            boolean lb = host.has(Role.LOAD_BALANCER);
            boolean cp = host.has(Role.CONTROL_PLANE);
            if (!lb && !cp) {
                continue;
            }
            String check = healthz + (lb ? " && systemctl is-active --quiet haproxy"
                    + " && systemctl is-active --quiet keepalived" : "")
                    + (cp ? " && " + apiserverRunning(in) : "");
            steps.add(Step.of("drill.health", "Healthy: /healthz through the VIP" + (lb ? ", haproxy, keepalived" : "")
                            + (cp ? ", the kube-apiserver" : ""), host.name(), List.of(
                            RunCommand.always("install -d -m 0700 /var/lib/kubeha/drill"),
                            new WriteFile(new RenderedFile(host.name(), CA, 0644, "root", in.clusterCaPem()))))
                    .verifiedBy(Verification.within(Duration.ofSeconds(10), check)).onEveryRun());
        }
        if (!in.spec().stackedEtcd()) {
            HostSpec first = EtcdCtl.members(in.spec()).get(0);
            steps.add(Step.of("drill.health.etcd", "Every etcd member answers healthy", first.name(), List.of())
                    .verifiedBy(Verification.within(Duration.ofSeconds(10), EtcdCtl.clusterHealthy(in.spec())))
                    .onEveryRun());
        }
        return Optional.of(Phase.parallel(name, "Check that the cluster is healthy before any drill", steps));
    }

    /** Stops haproxy on the VIP holder; measures until the VIP left it and /healthz answers, then the failback. */
    static Optional<Phase> vip(String name, DrillInput in) {
        if (!in.drills().contains(Drill.VIP)) {
            return Optional.empty();
        }
        String holder = in.vipHolder().orElseThrow(() -> new IllegalArgumentException(
                "no load-balancer host holds the VIP " + in.spec().loadBalancer().vip()));
        String vip = ShellQuote.quote(" " + in.spec().loadBalancer().vip() + "/");
        String script = helpers(in) + """
                has_vip() { ip -o addr show | grep -qF VIP; }
                left() { ! has_vip; }
                trap 'systemctl start haproxy' EXIT
                trap 'exit 130' HUP INT TERM
                has_vip || { echo "the VIP is not on this host any more" >&2; exit 1; }
                t0=$(now); systemctl stop haproxy
                wait_for left || exit 1; t1=$(now)
                wait_for healthz || exit 1; t2=$(now)
                systemctl start haproxy; t3=$(now)
                wait_for has_vip || exit 1; wait_for healthz || exit 1; t4=$(now)
                echo "RESULTvip-moved=$(secs $t0 $t1) vip-answering=$(secs $t0 $t2) vip-failback=$(secs $t3 $t4)"
                """.replace("VIP", vip).replace("RESULT", Drill.RESULT);
        List<Step> steps = new ArrayList<>();
        for (int round = 1; round <= in.rounds(); round++) {
            steps.add(drillStep("drill.vip." + round, "VIP drill " + round + " of " + in.rounds()
                    + ": stop haproxy on the VIP holder, measure, start it again", holder, script));
        }
        return Optional.of(Phase.serial(name, "VIP drill on " + holder, steps));
    }

    /** Stops the etcd leader while writes go to the other members; measures until it is healthy again. */
    static Optional<Phase> etcd(String name, DrillInput in) {
        if (!in.drills().contains(Drill.ETCD)) {
            return Optional.empty();
        }
        String leader = in.etcdLeader().orElseThrow(() -> new IllegalArgumentException("no etcd leader found"));
        HostSpec member = EtcdCtl.members(in.spec()).stream().filter(m -> m.name().equals(leader)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the etcd leader " + leader + " is no member"));
        String others = String.join(",", EtcdCtl.members(in.spec()).stream().filter(m -> !m.name().equals(leader))
                .map(EtcdUnit::clientUrl).toList());
        String script = helpers(in) + """
                member_healthy() { SELF endpoint health >/dev/null 2>&1; }
                log=$(mktemp)
                trap 'kill $writer 2>/dev/null; SOTHERS del /kubeha-drill/write >/dev/null 2>&1; rm -f "$log";\
                 systemctl start etcd' EXIT
                trap 'exit 130' HUP INT TERM
                ( while :; do if SOTHERS put /kubeha-drill/write "$(now)" >/dev/null 2>&1; then echo ok;\
                 else echo failed; fi; sleep 0.2; done ) > "$log" & writer=$!
                sleep 1; systemctl stop etcd; sleep DOWN
                t0=$(now); systemctl start --no-block etcd
                wait_for member_healthy || exit 1; t1=$(now)
                sleep 1; kill $writer; wait $writer 2>/dev/null
                echo "RESULTetcd-healthy=$(secs $t0 $t1) writes=$(grep -c . "$log") failed-writes=$(grep -c failed "$log")"
                """.replace("SELF", EtcdCtl.command(in.spec(), EtcdUnit.clientUrl(member)))
                .replace("SOTHERS", EtcdCtl.command(in.spec(), others))
                .replace("DOWN", String.valueOf(ETCD_DOWN_SECONDS)).replace("RESULT", Drill.RESULT);
        return Optional.of(Phase.serial(name, "etcd drill on the leader " + leader, List.of(drillStep("drill.etcd",
                "Stop etcd on the leader, write through the others, start it, measure until healthy", leader,
                script))));
    }

    /** Stops one kube-apiserver (kubeadm's way) and probes /healthz through the VIP every 200 ms meanwhile. */
    static Optional<Phase> controlPlane(String name, DrillInput in) {
        if (!in.drills().contains(Drill.CONTROL_PLANE)) {
            return Optional.empty();
        }
        List<HostSpec> controlPlanes = in.spec().hostsWith(Role.CONTROL_PLANE);
        HostSpec host = controlPlanes.get(controlPlanes.size() - 1);
        String script = helpers(in) + """
                stopped() { ! RUNNING; }
                running() { RUNNING; }
                log=$(mktemp)
                trap 'kill $prober 2>/dev/null; test -e MANIFEST || mv ASIDE MANIFEST; rm -f "$log"' EXIT
                trap 'exit 130' HUP INT TERM
                ( while :; do if healthz; then echo "$(now) ok"; else echo "$(now) failed"; fi; sleep 0.2; done )\
                 > "$log" & prober=$!
                mv MANIFEST ASIDE; t0=$(now)
                wait_for stopped || exit 1; sleep DOWN
                mv ASIDE MANIFEST
                wait_for running || exit 1; t1=$(now)
                sleep 1; kill $prober; wait $prober 2>/dev/null
                longest=$(awk '$2 == "failed" { if (!s) s = $1; e = $1 } $2 == "ok" { if (s) { d = e - s + 0.2;\
                 if (d > m) m = d; s = 0 } } END { if (s) { d = e - s + 0.2; if (d > m) m = d } printf "%.2f", m }'\
                 "$log")
                echo "RESULTapiserver-down=$(secs $t0 $t1) probes=$(grep -c . "$log")\
                 failed-probes=$(grep -c failed "$log") longest-outage=$longest"
                """.replace("RUNNING", apiserverRunning(in)).replace("MANIFEST", RestorePhases.MANIFEST)
                .replace("ASIDE", "/etc/kubernetes/kube-apiserver.yaml.kubeha-drill")
                .replace("DOWN", String.valueOf(APISERVER_DOWN_SECONDS)).replace("RESULT", Drill.RESULT);
        return Optional.of(Phase.serial(name, "Control-plane drill on " + host.name(), List.of(drillStep(
                "drill.control-plane", "Stop the kube-apiserver, probe /healthz through the VIP, start it again",
                host.name(), script))));
    }

    private static Step drillStep(String id, String title, String host, String script) {
        return Step.of(id, title, host, List.of(RunCommand.always("bash -c " + ShellQuote.quote(script))))
                .withTimeout(Duration.ofMinutes(4)).onEveryRun();
    }

    private static String helpers(DrillInput in) {
        return HELPERS.replace("LIMIT", String.valueOf(WAIT_LIMIT_SECONDS)).replace("CA", CA)
                .replace("URL", ShellQuote.quote("https://" + Topology.controlPlaneEndpoint(in.spec()) + "/healthz"));
    }

    private static String healthz(DrillInput in) {
        return "curl -sf --max-time 2 --cacert " + CA + " " + ShellQuote.quote("https://"
                + Topology.controlPlaneEndpoint(in.spec()) + "/healthz") + " >/dev/null";
    }

    private static String apiserverRunning(DrillInput in) {
        return Kube.crictl(in.spec()) + " ps --name kube-apiserver -q | grep -q .";
    }
}
