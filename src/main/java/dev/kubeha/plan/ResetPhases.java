package dev.kubeha.plan;

import dev.kubeha.model.ShellQuote;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.HaproxyConfig;
import dev.kubeha.render.HostsBlock;
import dev.kubeha.render.KubeadmConfig;
import dev.kubeha.render.Keepalived;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The reset workflow's phases: each step checks first and runs on every reset, whatever a journal says. */
final class ResetPhases {
    /** Rule, chain and table names that kube-proxy, the CNI plugins and flannel create. */
    static final String KUBE_RULES = "KUBE-|CNI-|FLANNEL";

    private ResetPhases() {
    }

    static Optional<Phase> kubernetes(String name, ClusterSpec spec) {
        return Optional.of(Phase.parallel(name, "Reset the Kubernetes nodes", kubernetes(spec, spec.hosts())));
    }

    static Optional<Phase> etcd(String name, ClusterSpec spec) {
        return spec.stackedEtcd() ? Optional.empty()
                : Optional.of(Phase.parallel(name, "Stop etcd and remove its data and certificates", etcd(spec)));
    }

    static Optional<Phase> loadBalancer(String name, ClusterSpec spec) {
        List<Step> lb = loadBalancer(spec.hostsWith(Role.LOAD_BALANCER));
        return lb.isEmpty() ? Optional.empty()
                : Optional.of(Phase.parallel(name, "Stop haproxy and keepalived (releases the VIP)", lb));
    }

    static Optional<Phase> hosts(String name, ClusterSpec spec) {
        return Optional.of(Phase.parallel(name, "Remove kubeha's /etc/hosts entries", hostsBlock(spec.hosts())));
    }

    /** kubeha's /etc/hosts block removed on each of these hosts. */
    static List<Step> hostsBlock(List<HostSpec> hosts) {
        return hosts.stream().map(h -> step("reset.hosts", "Remove kubeha's block from /etc/hosts",
                h, RunCommand.unless("! grep -qF " + ShellQuote.quote(HostsBlock.BEGIN) + " " + HostsBlock.PATH,
                        "sed -i '/^" + HostsBlock.BEGIN + "/,/^" + HostsBlock.END + "$/d' " + HostsBlock.PATH)))
                .toList();
    }

    private static Step step(String id, String title, HostSpec host, Operation... operations) {
        return Step.of(id, title, host.name(), List.of(operations)).onEveryRun();
    }

    /** kubeadm reset and what it leaves behind, on each of these hosts that runs a kubelet. */
    static List<Step> kubernetes(ClusterSpec spec, List<HostSpec> hosts) {
        String socket = ShellQuote.quote(spec.containerRuntime().criSocket());
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : hosts) {
            if (!host.has(Role.CONTROL_PLANE) && !host.has(Role.WORKER)) {
                continue;
            }
            steps.add(step("reset.kubeadm", "kubeadm reset", host, RunCommand.unless(
                    "! command -v kubeadm >/dev/null || ! { ls -A /etc/kubernetes/manifests 2>/dev/null | grep -q ."
                            + " || test -e " + Kube.KUBELET_CONF + " || test -e " + Kube.ADMIN_CONF
                            + " || test -d /var/lib/kubelet/pki; }",
                    "kubeadm reset -f --cri-socket " + socket)));
            steps.add(step("reset.kubelet", "Stop the kubelet", host, RunCommand.unless(
                    "! systemctl is-active --quiet kubelet", "systemctl stop kubelet")));
            steps.add(step("reset.cni", "Remove the CNI configuration, state and links (cni0, flannel.1)", host,
                    RunCommand.unless("! ls -A /etc/cni/net.d 2>/dev/null | grep -q . && ! test -e /var/lib/cni"
                                    + " && ! test -e /run/flannel && ! ip link show cni0 >/dev/null 2>&1"
                                    + " && ! ip link show flannel.1 >/dev/null 2>&1",
                            "rm -rf /etc/cni/net.d/* /var/lib/cni /run/flannel; for l in cni0 flannel.1; do"
                                    + " ! ip link show $l >/dev/null 2>&1 || ip link delete $l; done")));
            steps.add(step("reset.iptables", "Remove kube-proxy's and flannel's iptables chains, keep every other"
                    + " rule", host, RunCommand.unless(
                    "! { iptables-save 2>/dev/null; ip6tables-save 2>/dev/null; } | grep -qE '" + KUBE_RULES + "'",
                    "for v in '' 6; do ! command -v ip${v}tables-save >/dev/null || ip${v}tables-save | grep -vE '"
                            + KUBE_RULES + "' | ip${v}tables-restore || exit 1; done")));
            steps.add(step("reset.nftables", "Remove kube-proxy's and flannel's nftables tables", host,
                    RunCommand.unless("! nft list tables 2>/dev/null | grep -qE ' (kube-proxy|flannel-ipv[46])$'",
                            "nft list tables | grep -E ' (kube-proxy|flannel-ipv[46])$' | while read -r _ family"
                                    + " table; do nft delete table \"$family\" \"$table\" || exit 1; done")));
            steps.add(step("reset.ipvs", "Clear kube-proxy's IPVS services and kube-ipvs0", host, RunCommand.unless(
                    "! { command -v ipvsadm >/dev/null && ipvsadm -Ln | grep -qE '^(TCP|UDP|SCTP)'; }"
                            + " && ! ip link show kube-ipvs0 >/dev/null 2>&1",
                    "! command -v ipvsadm >/dev/null || ipvsadm --clear; ! ip link show kube-ipvs0 >/dev/null 2>&1"
                            + " || ip link delete kube-ipvs0")));
            String files = String.join(" ", KubeadmConfig.INIT, KubeadmConfig.JOIN,
                    AddonFiles.FLANNEL_PATH.substring(0, AddonFiles.FLANNEL_PATH.lastIndexOf('/')),
                    "/var/lib/kubeha", "/root/.kube/config");
            steps.add(step("reset.files", "Remove kubeha's files and root's kubeconfig", host, RunCommand.unless(
                    "for f in " + files + "; do ! test -e $f || exit 1; done", "rm -rf " + files)));
        }
        return steps;
    }

    private static List<Step> etcd(ClusterSpec spec) {
        return spec.hostsWith(Role.ETCD).stream().flatMap(host -> etcdMember(spec, host).stream()).toList();
    }

    /**
     * On one member: etcd.backup's snapshot timer removed wherever one runs (its snapshots kept), then etcd stopped and
     * disabled, its data, certificates and unit removed.
     */
    static List<Step> etcdMember(ClusterSpec spec, HostSpec host) {
        String paths = String.join(" ", ShellQuote.quote(spec.etcd().dataDir()),
                ShellQuote.quote(spec.etcd().certDir()), EtcdUnit.PATH);
        return List.of(InstallEtcd.removeSnapshotTimer(host).onEveryRun(), step("reset.etcd", "Stop etcd, remove "
                + spec.etcd().dataDir() + ", " + spec.etcd().certDir() + " and its unit", host, RunCommand.unless(
                "! systemctl is-active --quiet etcd && ! systemctl is-enabled --quiet etcd 2>/dev/null"
                        + " && for f in " + paths + "; do ! test -e $f || exit 1; done",
                "systemctl disable --now etcd 2>/dev/null; rm -rf " + paths + " && systemctl daemon-reload")));
    }

    /** keepalived and haproxy stopped, disabled and their kubeha configuration removed on these hosts. */
    static List<Step> loadBalancer(List<HostSpec> hosts) {
        String files = String.join(" ", Keepalived.CONFIG, Keepalived.CHECK_SCRIPT, HaproxyConfig.PATH);
        return hosts.stream().filter(h -> h.has(Role.LOAD_BALANCER)).map(host -> step("reset.load-balancer",
                "Stop and disable keepalived and haproxy, remove their kubeha configuration", host, RunCommand.unless(
                        "! systemctl is-active --quiet keepalived && ! systemctl is-active --quiet haproxy"
                                + " && for f in " + files + "; do ! test -e $f || exit 1; done",
                        "systemctl disable --now keepalived haproxy 2>/dev/null; rm -f " + files))).toList();
    }
}
