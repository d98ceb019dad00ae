package dev.kubeha.plan;

import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.HaproxyConfig;
import dev.kubeha.render.Keepalived;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The install's phases for hosts that join or leave a running cluster: the VIP moved off a leaving load balancer,
 * haproxy and keepalived on the kept load balancers updated one at a time (the VIP holder last), then in kubeadm's
 * order the leaving nodes drained, reset and deleted.
 */
final class MembershipPhases {
    static final Duration SETTLE = Duration.ofSeconds(90);

    private MembershipPhases() {
    }

    /**
     * On each leaving load balancer: keepalived stopped, then the VIP held elsewhere and /healthz answering. For an
     * unreachable one, nothing runs on it: the first kept load balancer waits for /healthz through the VIP.
     */
    static Optional<Phase> releaseVip(String name, PlanInput in) {
        List<Step> steps = new ArrayList<>();
        for (HostSpec h : in.change().leaving(Role.LOAD_BALANCER)) {
            if (in.membership().reachable(h.name())) {
                steps.add(Step.of("membership.release-vip", "Stop keepalived so another load balancer takes the VIP",
                        h.name(), List.of(RunCommand.unless("! systemctl is-active --quiet keepalived",
                                "systemctl stop keepalived")))
                        .verifiedBy(Verification.within(SETTLE, "! " + holdsVip(in) + " && " + healthz(in, vip(in)))));
            } else {
                steps.add(Step.of("membership.vip-without." + h.name(), "The VIP answers without " + h.name()
                        + " (unreachable)", in.change().keptLoadBalancers().get(0).name(), List.of())
                        .verifiedBy(Verification.within(SETTLE, healthz(in, vip(in)))));
            }
        }
        return steps.isEmpty() ? Optional.empty()
                : Optional.of(Phase.serial(name, "Move the VIP off the leaving load balancers", steps));
    }

    /**
     * haproxy's backends and keepalived's peers brought to the answers on the load balancers that stay, one at a time,
     * backups first: haproxy checked and reloaded (never restarted), then /healthz through the VIP and this host's
     * frontend and every backend up; keepalived checked and reloaded, the VIP where it was.
     */
    static Optional<Phase> updateLoadBalancers(String name, PlanInput in) {
        List<String> names = rolled(in).stream().map(HostSpec::name).toList();
        List<HostSpec> kept = new ArrayList<>(in.spec().hostsWith(Role.LOAD_BALANCER).stream()
                .filter(h -> names.contains(h.name())).toList());
        Collections.reverse(kept);
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : kept) {
            steps.add(Step.of("membership.haproxy", "haproxy backends " + names(in.change().haproxyBackendsAfter())
                    + ", reloaded", host.name(), List.of(in.write(host, HaproxyConfig.PATH),
                    RunCommand.afterChange("haproxy -c -q -f " + HaproxyConfig.PATH + " && systemctl reload haproxy"),
                    OsCommands.enableAndStart("haproxy")))
                    .verifiedBy(Verification.within(SETTLE, healthz(in, vip(in)) + " && " + healthz(in, "127.0.0.1")
                            + " && " + backendsUp())));
            String holds = holdsVip(in) + " && echo holder || echo backup";
            steps.add(Step.of("membership.keepalived", "keepalived unicast peers "
                    + names(in.change().keepalivedPeersAfter()) + ", reloaded without moving the VIP", host.name(),
                    List.of(in.write(host, Keepalived.CHECK_SCRIPT), in.write(host, Keepalived.CONFIG),
                            RunCommand.afterChange("keepalived -t -f " + Keepalived.CONFIG + " || exit 1;"
                                    + " before=$(" + holds + "); systemctl reload keepalived || exit 1; sleep 3;"
                                    + " after=$(" + holds + "); [ \"$before\" = \"$after\" ] || { echo \"the VIP moved"
                                    + " when keepalived reloaded here (was $before, now $after)\" >&2; exit 1; }"),
                            OsCommands.enableAndStart("keepalived")))
                    .verifiedBy(Verification.within(Duration.ofSeconds(10),
                            "systemctl is-active --quiet keepalived")));
        }
        List<String> joining = joiningBesideKept(in).stream().map(HostSpec::name).toList();
        for (HostSpec host : in.spec().hostsWith(Role.LOAD_BALANCER).stream()
                .filter(h -> joining.contains(h.name())).toList()) {
            steps.add(Step.of("membership.keepalived-join", "keepalived started as a backup, once every kept load"
                    + " balancer lists it as a peer", host.name(), List.of(in.write(host, Keepalived.CHECK_SCRIPT),
                    in.write(host, Keepalived.CONFIG), RunCommand.unless("systemctl is-active --quiet keepalived",
                            "keepalived -t -f " + Keepalived.CONFIG + " || exit 1; systemctl enable keepalived"
                                    + " >/dev/null 2>&1; systemctl restart keepalived || exit 1; sleep "
                                    + (Keepalived.MASTER_DOWN_SECONDS + 1) + "; ! " + holdsVip(in) + " || { echo"
                                    + " \"keepalived took the VIP here: the other load balancers' adverts do not"
                                    + " reach this host\" >&2; exit 1; }")))
                    .verifiedBy(Verification.within(Duration.ofSeconds(10), "systemctl is-active --quiet keepalived"
                            + " && " + healthz(in, vip(in)))));
        }
        return steps.isEmpty() ? Optional.empty() : Optional.of(Phase.serial(name,
                "Update haproxy and keepalived one load balancer at a time", steps));
    }

    /**
     * Load balancers that join a cluster with kept ones: their keepalived starts only after every kept keepalived
     * lists them as a peer, else nobody's adverts reach them and they would take the VIP beside its holder.
     */
    static List<HostSpec> joiningBesideKept(PlanInput in) {
        return rolled(in).isEmpty() ? List.of() : in.change().joining(Role.LOAD_BALANCER);
    }

    /** The load balancers whose configuration this phase, not the install's load-balancer phase, brings up to date. */
    static List<HostSpec> rolled(PlanInput in) {
        return in.change().recorded() ? in.change().keptLoadBalancers() : List.of();
    }

    /** From a control plane that stays: each leaving node drained, its PodDisruptionBudgets respected. */
    static Optional<Phase> drainNodes(String name, PlanInput in) {
        HostSpec first = Topology.firstControlPlane(in.spec());
        Duration timeout = in.membership().drainTimeout();
        List<Step> steps = leavingNodes(in.change()).stream().map(node -> Step.of("membership.drain." + node.name(),
                "kubectl drain " + node.name() + (in.membership().reachable(node.name()) ? ""
                        : " (unreachable: its pods' ends are not waited for)") + " (fails after "
                        + Kube.human(timeout) + ")", first.name(),
                List.of(RunCommand.unless(gone(node), in.membership().reachable(node.name())
                        ? Kube.drain(node.name(), timeout) : Kube.drainUnreachable(node.name(), timeout))))
                .withTimeout(timeout.plusMinutes(1))).toList();
        return steps.isEmpty() ? Optional.empty()
                : Optional.of(Phase.serial(name, "Drain the leaving nodes", steps));
    }

    /** From a control plane that stays, once the leaving nodes were reset: their Node objects deleted. */
    static Optional<Phase> deleteNodes(String name, PlanInput in) {
        HostSpec first = Topology.firstControlPlane(in.spec());
        List<Step> steps = leavingNodes(in.change()).stream().map(node -> Step.of("membership.delete-node."
                + node.name(), "kubectl delete node " + node.name(), first.name(), List.of(RunCommand.unless(
                gone(node), Kube.KUBECTL + " delete node " + ShellQuote.quote(node.name()))))).toList();
        return steps.isEmpty() ? Optional.empty()
                : Optional.of(Phase.serial(name, "Delete the leaving nodes from the cluster", steps));
    }

    private static String gone(HostSpec node) {
        return "! " + Kube.KUBECTL + " get node " + ShellQuote.quote(node.name()) + " >/dev/null 2>&1";
    }

    /** On each leaving host: kubeadm reset and what it leaves, the load balancer stopped, kubeha's files removed. */
    static Optional<Phase> resetHosts(String name, PlanInput in) {
        List<Step> steps = new ArrayList<>(resetSteps(in.spec(), in.change()).stream()
                .filter(s -> in.membership().reachable(s.host())).toList());
        if (in.spec().stackedEtcd()) {
            HostSpec first = Topology.firstControlPlane(in.spec());
            in.change().leaving(Role.CONTROL_PLANE).stream().filter(h -> !in.membership().reachable(h.name()))
                    .forEach(h -> steps.add(stackedMemberRemoved(in, h, first)));
        }
        return steps.isEmpty() ? Optional.empty()
                : Optional.of(Phase.parallel(name, "Reset the leaving hosts", steps));
    }

    /** What removal would run on each leaving host that is given up as unreachable, by host: left as it is. */
    static Map<String, List<String>> notCleaned(ClusterSpec spec, ClusterChange change, MembershipOptions options) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Step s : resetSteps(spec, change)) {
            if (!options.reachable(s.host())) {
                out.computeIfAbsent(s.host(), h -> new ArrayList<>()).add(s.title());
            }
        }
        return out;
    }

    /**
     * An unreachable control plane's stacked etcd member removed by its ID, which kubeadm reset would do on the host:
     * etcdctl in the etcd container of a control plane that stays, with kubeadm's health-check client pair.
     */
    private static Step stackedMemberRemoved(PlanInput in, HostSpec leaving, HostSpec from) {
        String etcdctl = Kube.crictl(in.spec()) + " exec \"$c\" etcdctl --endpoints https://127.0.0.1:2379"
                + " --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt"
                + " --key /etc/kubernetes/pki/etcd/healthcheck-client.key";
        String container = "c=$(" + Kube.crictl(in.spec()) + " ps -q --name '^etcd$' | head -n1) && [ -n \"$c\" ]";
        String id = "$(" + etcdctl + " member list | awk -F', ' -v n=" + ShellQuote.quote(leaving.name())
                + " '$3 == n {print $1}')";
        return Step.of("membership.etcd-member-remove." + leaving.name(), "etcdctl member remove " + leaving.name()
                + " (unreachable, so kubeadm reset cannot)", from.name(), List.of(RunCommand.unless(container
                + " && [ -z \"" + id + "\" ]", container + " && id=" + id + " && { [ -z \"$id\" ] || " + etcdctl
                + " member remove \"$id\"; }")));
    }

    private static List<Step> resetSteps(ClusterSpec spec, ClusterChange change) {
        List<HostSpec> leaving = change.leaving();
        List<Step> steps = new ArrayList<>(ResetPhases.kubernetes(spec, leaving));
        steps.addAll(ResetPhases.loadBalancer(leaving));
        steps.addAll(ResetPhases.hostsBlock(leaving.stream().filter(h -> !h.has(Role.ETCD)).toList()));
        return steps;
    }

    private static List<HostSpec> leavingNodes(ClusterChange change) {
        return change.leaving().stream().filter(h -> h.has(Role.CONTROL_PLANE) || h.has(Role.WORKER)).toList();
    }

    private static String vip(PlanInput in) {
        return in.spec().loadBalancer().vip();
    }

    private static String holdsVip(PlanInput in) {
        return "ip -o addr show | grep -qw " + ShellQuote.quote("inet6\\? " + vip(in) + "/[0-9]*");
    }

    private static String healthz(PlanInput in, String address) {
        return "curl -ksf --max-time 2 -o /dev/null " + ShellQuote.quote("https://"
                + Topology.hostPort(address, in.spec().loadBalancer().port()) + "/healthz");
    }

    /** Every server of haproxy's kube-apiserver backend UP on its stats page (the password read on the host). */
    private static String backendsUp() {
        return "p=$(sed -n 's/^ *stats auth admin://p' " + HaproxyConfig.PATH + ") && curl -sf --max-time 2"
                + " -u \"admin:$p\" 'http://" + HaproxyConfig.STATS_BIND + "/stats;csv' | awk -F, '$1 == "
                + "\"kube-apiserver\" && $2 != \"BACKEND\" && $2 != \"FRONTEND\" { n++; if ($18 !~ /^UP/) down++ }"
                + " END { exit !(n > 0 && down == 0) }'";
    }

    private static String names(List<HostSpec> hosts) {
        return String.join(", ", hosts.stream().map(HostSpec::name).toList());
    }
}
