package dev.kubeha.plan;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Ports;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.Role;
import dev.kubeha.render.HostsBlock;
import dev.kubeha.render.OsPreparation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Hostname, /etc/hosts, firewall on every host; swap, kernel modules, sysctls and SELinux on Kubernetes nodes. */
final class PrepareOs {
    /** What the modules make possible, whether loaded or built in: overlay mounts and bridge netfilter hooks. */
    static final String MODULES_WORK = "grep -qw overlay /proc/filesystems"
            + " && test -e /proc/sys/net/bridge/bridge-nf-call-iptables";

    private PrepareOs() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        List<Step> steps = new ArrayList<>();
        String block = HostsBlock.block(in.spec());
        for (HostSpec host : in.spec().hosts()) {
            HostFacts facts = in.factsOf(host);
            String h = host.name();
            steps.add(Step.of("os.hostname", "Set the hostname to " + h, h, List.of(RunCommand.unless(
                    "test \"$(hostname)\" = " + h, "hostnamectl set-hostname " + h))));
            steps.add(Step.of("os.hosts", "Add the cluster's hosts to /etc/hosts", h,
                    List.of(new MergeBlock(HostsBlock.PATH, block))));
            List<String> ports = Ports.of(in.spec(), host);
            if (!ports.isEmpty()) {
                steps.add(Step.of("os.firewall", "Open " + String.join(", ", ports) + " in the host firewall", h,
                        List.of(OsCommands.openPorts(facts.osFamily(), ports, host.has(Role.LOAD_BALANCER)))));
            }
            if (host.has(Role.CONTROL_PLANE) || host.has(Role.WORKER)) {
                steps.addAll(kubernetesNode(in, host, facts));
            }
        }
        return Optional.of(Phase.parallel(name, "Prepare the operating systems", steps));
    }

    private static List<Step> kubernetesNode(PlanInput in, HostSpec host, HostFacts facts) {
        String h = host.name();
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("os.swap", "Turn swap off and keep it off", h, List.of(RunCommand.unless(
                "test -z \"$(swapon --noheadings --show 2>/dev/null)\" && ! grep -Eq '^[^#].*[[:space:]]swap[[:space:]]'"
                        + " /etc/fstab",
                "swapoff -a && sed -i -E 's/^([^#].*[[:space:]]swap[[:space:]].*)$/# kubeha: \\1/' /etc/fstab"))));
        List<String> packages = new ArrayList<>();
        if (in.spec().network().proxyMode() == ProxyMode.IPVS) {
            packages.addAll(List.of("ipset", "ipvsadm"));
        } else if (in.spec().network().proxyMode() == ProxyMode.NFTABLES) {
            packages.add("nftables");
        }
        if (!packages.isEmpty()) {
            steps.add(Step.of("os.packages", "Install " + String.join(", ", packages), h,
                    List.of(OsCommands.installPackages(facts.osFamily(), packages))).withAttempts(3));
        }
        boolean ipvs = in.file(host, OsPreparation.IPVS_MODULES).isPresent();
        List<Operation> modules = new ArrayList<>(in.writeAllUnder(host, "/etc/modules-load.d"));
        modules.add(RunCommand.afterChange("for m in $(cat /etc/modules-load.d/k8s.conf"
                + (ipvs ? " /etc/modules-load.d/ipvs.conf" : "") + " | grep -v '^#'); do modprobe \"$m\" 2>/dev/null"
                + " || echo \"modprobe $m failed: it must be built into the kernel\"; done"));
        steps.add(Step.of("os.modules", "Load overlay, br_netfilter" + (ipvs ? " and the IPVS modules" : "")
                + " now and at boot", h, modules).verifiedBy(Verification.now(MODULES_WORK
                + (ipvs ? " && test -e /proc/net/ip_vs" : ""))));
        steps.add(Step.of("os.sysctl", "Set the kernel parameters Kubernetes needs", h, List.of(
                in.write(host, OsPreparation.SYSCTL),
                RunCommand.afterChange("sysctl -q -p " + OsPreparation.SYSCTL)))
                .verifiedBy(Verification.now("test \"$(sysctl -n net.ipv4.ip_forward)\" = 1")));
        if (facts.osFamily() == OsFamily.RHEL) {
            steps.add(Step.of("os.selinux", "Put SELinux in permissive mode", h, List.of(RunCommand.unless(
                    "! command -v getenforce >/dev/null || { test \"$(getenforce)\" != Enforcing"
                            + " && ! grep -q '^SELINUX=enforcing' /etc/selinux/config; }",
                    "setenforce 0; sed -i 's/^SELINUX=enforcing$/SELINUX=permissive/' /etc/selinux/config"))));
        }
        return steps;
    }
}
