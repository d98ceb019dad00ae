package dev.kubeha.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The membership difference between the topology the last apply recorded and the answers: the hosts that join and
 * leave, what changes on the others (haproxy backends, keepalived unicast peers, etcd members and the apiservers'
 * etcd endpoints), and what kubeha refuses to do. Without a record nothing is known to leave.
 */
public final class ClusterChange {
    /** The operator's permissions for what is refused by default. */
    public record Allowed(boolean removal, boolean evenEtcd) {
        public static final Allowed NOTHING = new Allowed(false, false);
    }

    private final Optional<AppliedTopology> applied;
    private final AppliedTopology desired;

    private ClusterChange(Optional<AppliedTopology> applied, AppliedTopology desired) {
        this.applied = applied;
        this.desired = desired;
    }

    public static ClusterChange between(Optional<AppliedTopology> applied, ClusterSpec desired) {
        return new ClusterChange(applied, AppliedTopology.of(desired));
    }

    /** True when a record of the applied topology exists, so joins and removals are known. */
    public boolean recorded() {
        return applied.isPresent();
    }

    /** Hosts of the answers that the record does not have; empty without a record. */
    public List<HostSpec> joining() {
        return applied.map(a -> without(desired.hosts(), a.hosts())).orElse(List.of());
    }

    /** Recorded hosts the answers no longer list, with their recorded address, SSH port and user. */
    public List<HostSpec> leaving() {
        return applied.map(a -> without(a.hosts(), desired.hosts())).orElse(List.of());
    }

    public List<HostSpec> joining(Role role) {
        return joining().stream().filter(h -> h.has(role)).toList();
    }

    public List<HostSpec> leaving(Role role) {
        return leaving().stream().filter(h -> h.has(role)).toList();
    }

    /** Hosts kept under the same name whose address or roles differ from the record. */
    public List<String> changedInPlace() {
        List<String> out = new ArrayList<>();
        if (applied.isEmpty()) {
            return out;
        }
        Map<String, HostSpec> before = byName(applied.get().hosts());
        for (HostSpec now : desired.hosts()) {
            HostSpec was = before.get(now.name());
            if (was == null) {
                continue;
            }
            if (!was.address().equals(now.address())) {
                out.add("host " + now.name() + ": address " + was.address() + " -> " + now.address());
            }
            if (!was.roles().equals(now.roles())) {
                out.add("host " + now.name() + ": roles " + roles(was) + " -> " + roles(now));
            }
        }
        Map<String, HostSpec> leavingByAddress = leaving().stream()
                .collect(Collectors.toMap(HostSpec::address, Function.identity(), (x, y) -> x));
        for (HostSpec joins : joining()) {
            HostSpec left = leavingByAddress.get(joins.address());
            if (left != null) {
                out.add("address " + joins.address() + ": host " + left.name() + " -> " + joins.name());
            }
        }
        return out;
    }

    public List<HostSpec> haproxyBackendsBefore() {
        return applied.map(a -> a.hostsWith(Role.CONTROL_PLANE)).orElse(desired.hostsWith(Role.CONTROL_PLANE));
    }

    public List<HostSpec> haproxyBackendsAfter() {
        return desired.hostsWith(Role.CONTROL_PLANE);
    }

    public boolean haproxyBackendsChange() {
        return !nameSet(haproxyBackendsBefore()).equals(nameSet(haproxyBackendsAfter()));
    }

    public List<HostSpec> keepalivedPeersBefore() {
        return applied.map(a -> a.hostsWith(Role.LOAD_BALANCER)).orElse(desired.hostsWith(Role.LOAD_BALANCER));
    }

    public List<HostSpec> keepalivedPeersAfter() {
        return desired.hostsWith(Role.LOAD_BALANCER);
    }

    public boolean keepalivedPeersChange() {
        return !nameSet(keepalivedPeersBefore()).equals(nameSet(keepalivedPeersAfter()));
    }

    /** The load-balancer hosts that stay: those whose haproxy and keepalived are reloaded one at a time. */
    public List<HostSpec> keptLoadBalancers() {
        Set<String> before = nameSet(keepalivedPeersBefore());
        return keepalivedPeersAfter().stream().filter(h -> before.contains(h.name())).toList();
    }

    public List<HostSpec> etcdMembersBefore() {
        return applied.map(AppliedTopology::etcdMembers).orElse(desired.etcdMembers());
    }

    public List<HostSpec> etcdMembersAfter() {
        return desired.etcdMembers();
    }

    /** etcd members to add (the control planes that join when etcd is stacked, else the etcd hosts that join). */
    public List<HostSpec> addedEtcdMembers() {
        return without(etcdMembersAfter(), etcdMembersBefore());
    }

    public List<HostSpec> removedEtcdMembers() {
        return without(etcdMembersBefore(), etcdMembersAfter());
    }

    /** True when the apiservers' etcd endpoints (external etcd only) change. */
    public boolean etcdEndpointsChange() {
        return !desired.stackedEtcd() && !nameSet(etcdMembersBefore()).equals(nameSet(etcdMembersAfter()));
    }

    /**
     * True when the record has etcd.backup's snapshot timer on the external members and the answers no longer ask
     * for it: apply removes the timer, service and script and keeps the snapshots.
     */
    public boolean etcdBackupDropped() {
        return applied.isPresent() && applied.get().etcdBackup() && !desired.etcdBackup();
    }

    /** True when no host joins, leaves or changes. */
    public boolean isEmpty() {
        return joining().isEmpty() && leaving().isEmpty() && changedInPlace().isEmpty() && !vipChanges()
                && !etcdModeChanges();
    }

    /** Every reason kubeha refuses this change, each a sentence with what to do instead; empty when it may run. */
    public List<String> refusals(Allowed allowed) {
        List<String> out = new ArrayList<>();
        if (applied.isEmpty()) {
            evenExternalEtcd(allowed, out);
            return out;
        }
        for (String change : changedInPlace()) {
            out.add(change + " is changed in place, which kubeha refuses: remove the host from the answers and apply"
                    + " with --allow-removal, then add it back with its new address or roles and apply again");
        }
        if (vipChanges()) {
            out.add("loadBalancer.vip changes from " + applied.get().vip() + " to " + desired.vip()
                    + ": every node and certificate uses the VIP; changing it is a new cluster");
        }
        if (etcdModeChanges()) {
            out.add("etcd changes from " + mode(applied.get()) + " to " + mode(desired)
                    + ": kubeha cannot move etcd between stacked and external members");
        }
        if (!leaving().isEmpty() && !allowed.removal()) {
            out.add("the answers remove " + describe(leaving()) + ": removal runs only with --allow-removal");
        }
        newLoadBalancersLast(out);
        lastOf(Role.CONTROL_PLANE, "control plane", out);
        lastOf(Role.LOAD_BALANCER, "load-balancer host", out);
        etcd(allowed, out);
        return out;
    }

    /** Without a record every etcd host of the answers is installed: an even external count only with --allow-even. */
    private void evenExternalEtcd(Allowed allowed, List<String> out) {
        if (!desired.stackedEtcd()) {
            EtcdMembershipRule.firstInstall(etcdMembersAfter().size(), allowed).forEach(r -> out.add(r.text()));
        }
    }

    /** keepalived's priorities follow the hosts' order: a new load balancer listed first would take the VIP. */
    private void newLoadBalancersLast(List<String> out) {
        Set<String> joining = nameSet(joining(Role.LOAD_BALANCER));
        List<HostSpec> order = desired.hostsWith(Role.LOAD_BALANCER);
        for (int i = 0; i < order.size(); i++) {
            if (!joining.contains(order.get(i).name())) {
                continue;
            }
            List<HostSpec> keptAfter = order.subList(i + 1, order.size()).stream()
                    .filter(h -> !joining.contains(h.name())).toList();
            if (!keptAfter.isEmpty()) {
                out.add("new load-balancer host " + order.get(i).name() + " is listed before " + names(keptAfter)
                        + ": keepalived's priorities follow the order of the hosts, so it would take the VIP; list"
                        + " new load-balancer hosts after the existing ones");
            }
        }
    }

    private void lastOf(Role role, String what, List<String> out) {
        List<HostSpec> leavingWithRole = leaving(role);
        Set<String> before = nameSet(applied.orElseThrow().hostsWith(role));
        boolean anyKept = desired.hostsWith(role).stream().anyMatch(h -> before.contains(h.name()));
        if (!leavingWithRole.isEmpty() && !anyKept) {
            out.add("removing " + names(leavingWithRole) + " leaves no running " + what + ": add the new " + what
                    + " in one apply, then remove the old one in the next");
        }
    }

    /** The etcd rule's refusals; a removal it refuses without --allow-removal is already refused by host above. */
    private void etcd(Allowed allowed, List<String> out) {
        etcdRule().refusals(allowed).stream()
                .filter(r -> r.reason() != EtcdMembershipRule.Reason.REMOVAL_NOT_ALLOWED)
                .forEach(r -> out.add(r.text()));
    }

    /** The recorded etcd members (all voting) against the answers', for {@link EtcdMembershipRule}. */
    public EtcdMembershipRule etcdRule() {
        List<HostSpec> removed = removedEtcdMembers();
        return new EtcdMembershipRule(etcdMembersBefore().size(), addedEtcdMembers().stream().map(HostSpec::name)
                .toList(), removed.stream().map(HostSpec::name).toList(), removed.size());
    }

    /** The change and every refusal, as plan, apply and the wizard's Review show them. */
    public String report(Allowed allowed) {
        StringBuilder out = new StringBuilder(describe());
        refusals(allowed).forEach(r -> out.append("  refused: ").append(r).append('\n'));
        return out.toString();
    }

    /** The change as plan and the wizard's Review show it, one line per fact. */
    public String describe() {
        if (applied.isEmpty()) {
            return "membership: no applied topology is recorded (the cluster was installed before kubeha kept one,"
                    + " or is new): every host in the answers is installed or completed, no removal is known;"
                    + " the record is written when this apply succeeds\n";
        }
        if (isEmpty()) {
            return "membership: no host joins, leaves or changes (compared with the recorded topology)\n"
                    + droppedPieces();
        }
        StringBuilder out = new StringBuilder("membership (the answers compared with the recorded topology):\n");
        line(out, "joins", describe(joining()));
        line(out, "leaves", describe(leaving()));
        if (haproxyBackendsChange()) {
            line(out, "haproxy backends", names(haproxyBackendsBefore()) + " -> " + names(haproxyBackendsAfter())
                    + " on " + names(keptLoadBalancers()) + ", reloaded one load balancer at a time");
        }
        if (keepalivedPeersChange()) {
            line(out, "keepalived unicast peers", names(keepalivedPeersBefore()) + " -> "
                    + names(keepalivedPeersAfter()) + ", reloaded one host at a time, the VIP holder last");
        }
        if (!addedEtcdMembers().isEmpty() || !removedEtcdMembers().isEmpty()) {
            line(out, "etcd members", names(etcdMembersBefore()) + " -> " + names(etcdMembersAfter())
                    + (etcdEndpointsChange() ? "; the apiservers' etcd endpoints updated one control plane at a time"
                    : ""));
        }
        changedInPlace().forEach(c -> line(out, "changed in place", c));
        if (vipChanges()) {
            line(out, "VIP", applied.get().vip() + " -> " + desired.vip());
        }
        if (etcdModeChanges()) {
            line(out, "etcd", mode(applied.get()) + " -> " + mode(desired));
        }
        return out + droppedPieces();
    }

    private String droppedPieces() {
        return etcdBackupDropped() ? "etcd.backup: no longer in the answers: its snapshot timer, service and script are"
                + " removed from " + names(desired.etcdMembers()) + "; the snapshots already taken are kept\n" : "";
    }

    private boolean vipChanges() {
        return applied.isPresent() && !applied.get().vip().equals(desired.vip());
    }

    private boolean etcdModeChanges() {
        return applied.isPresent() && applied.get().stackedEtcd() != desired.stackedEtcd();
    }

    private static void line(StringBuilder out, String what, String value) {
        if (!value.isEmpty()) {
            out.append("  ").append(what).append(": ").append(value).append('\n');
        }
    }

    private static String mode(AppliedTopology t) {
        return t.stackedEtcd() ? "stacked on the control planes" : "external members";
    }

    private static String describe(List<HostSpec> hosts) {
        return String.join(", ", hosts.stream().map(h -> h.name() + " (" + h.address() + ", " + roles(h) + ")")
                .toList());
    }

    private static String roles(HostSpec h) {
        return String.join(" ", h.roles().stream().sorted().map(Role::yamlName).toList());
    }

    private static String names(List<HostSpec> hosts) {
        return hosts.isEmpty() ? "none" : String.join(", ", hosts.stream().map(HostSpec::name).toList());
    }

    private static Set<String> nameSet(List<HostSpec> hosts) {
        return hosts.stream().map(HostSpec::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<HostSpec> without(List<HostSpec> hosts, List<HostSpec> removed) {
        Set<String> gone = removed.stream().map(HostSpec::name).collect(Collectors.toSet());
        return hosts.stream().filter(h -> !gone.contains(h.name())).toList();
    }

    private static Map<String, HostSpec> byName(List<HostSpec> hosts) {
        return hosts.stream().collect(Collectors.toMap(HostSpec::name, Function.identity(), (x, y) -> x));
    }
}
