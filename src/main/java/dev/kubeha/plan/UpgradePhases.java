package dev.kubeha.plan;

import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.KubernetesPackages;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The phases of the upgrade workflow; {@link Upgrade} lists them in order. */
final class UpgradePhases {
    static final String APISERVER_MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";
    /** Certificates closer than this to their end would expire while the upgrade runs. */
    static final Duration CERTIFICATE_MARGIN = Duration.ofDays(1);
    private static final Duration KUBELET_READY = Duration.ofMinutes(3);
    private static final Duration KUBELET_HEALTHY = Duration.ofSeconds(60);
    /** The kubelet's own health endpoint (healthzBindAddress 127.0.0.1, healthzPort 10248), as kubeadm waits for it. */
    static final String KUBELET_HEALTHZ = "curl -fsS --max-time 2 -o /dev/null http://127.0.0.1:10248/healthz";

    private UpgradePhases() {
    }

    /**
     * The cluster healthy through the control-plane endpoint, no kubeadm certificate close to its end, every external
     * etcd member at a version the target kubeadm accepts, and the target's package repository reachable from every
     * node. An etcd.version declared below kubeadm's minimum is let through as at install (validation warns, kubeadm's
     * ExternalEtcdVersion check is skipped); the command warns again.
     */
    static Optional<Phase> preflight(String name, UpgradeInput in) {
        ClusterSpec spec = in.target().spec();
        HostSpec first = Topology.firstControlPlane(spec);
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("upgrade.cluster-healthy", "Check /healthz through " + Topology.controlPlaneEndpoint(spec)
                + " and the nodes", first.name(), List.of())
                .verifiedBy(Verification.within(Duration.ofSeconds(60), VerifyCluster.clusterCheck(in.target())))
                .onEveryRun());
        for (HostSpec host : spec.hostsWith(Role.CONTROL_PLANE)) {
            steps.add(Step.of("upgrade.certificates", "No kubeadm certificate expires within "
                    + CERTIFICATE_MARGIN.toHours() + " h", host.name(), List.of(RunCommand.always(
                    certificatesLast(CERTIFICATE_MARGIN)))).onEveryRun());
        }
        if (!spec.stackedEtcd() && InitControlPlane.ignoredPreflightErrors(spec).isEmpty()) {
            HostSpec member = EtcdCtl.members(spec).get(0);
            steps.add(Step.of("upgrade.etcd-version", "Every etcd member runs " + in.path().release().minExternalEtcd()
                    + " or newer (Kubernetes " + in.path().to().minorLine() + ")", member.name(), List.of(
                    RunCommand.always(etcdAtLeast(spec, in.path().release().minExternalEtcd().toString()))))
                    .onEveryRun());
        }
        for (HostSpec host : in.target().kubernetesNodes()) {
            OsFamily family = in.target().factsOf(host).osFamily();
            String index = KubernetesPackages.repository(spec) + switch (family) {
                case DEBIAN -> "/deb/InRelease";
                case RHEL -> "/rpm/repodata/repomd.xml";
            };
            steps.add(Step.of("upgrade.repository-reachable", "Reach the Kubernetes " + in.path().to().minorLine()
                    + " package repository", host.name(), List.of(RunCommand.always(
                    "curl -fsS --retry 2 --max-time 30 -o /dev/null " + ShellQuote.quote(index)
                            + " || { echo 'cannot fetch " + index + "' >&2; exit 1; }"))).onEveryRun());
        }
        return Optional.of(Phase.parallel(name, "Check that the cluster can be upgraded to " + in.path().to(), steps));
    }

    /** A snapshot of etcd on the first member's disk before anything changes; kept for the operator. */
    static Optional<Phase> backup(String name, UpgradeInput in) {
        return in.backup().flatMap(backup -> EtcdGate.snapshotOnce(name, backup, in.backupFile()));
    }

    static Optional<Phase> loadBalancer(String name, UpgradeInput in) {
        return InstallLoadBalancer.reconfigure(name, in.target());
    }

    /** Every node's package repository line switched to the target's minor (the signing key stays). */
    static Optional<Phase> repository(String name, UpgradeInput in) {
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : in.target().kubernetesNodes()) {
            steps.add(Step.of("upgrade.repository", "Use the Kubernetes " + in.path().to().minorLine()
                    + " package repository", host.name(), InstallKubernetes.repository(in.target(), host,
                    in.target().factsOf(host).osFamily())).withAttempts(3));
        }
        return Optional.of(Phase.parallel(name, "Package repository " + in.path().to().minorLine(), steps));
    }

    /**
     * On the first control plane: kubeadm upgraded and upgrade plan ({@code NAME-kubeadm}), then upgrade apply with its
     * apiserver drained on every haproxy meanwhile; /healthz through the VIP after.
     */
    static List<Phase> apply(String name, UpgradeInput in) {
        HostSpec first = Topology.firstControlPlane(in.target().spec());
        String tag = in.tag();
        Step plan = Step.of("upgrade.plan", "kubeadm upgrade plan", first.name(), List.of(
                RunCommand.unless(upgraded(tag), "kubeadm upgrade plan"))).withTimeout(Duration.ofMinutes(5));
        Step apply = Step.of("upgrade.apply", "kubeadm upgrade apply " + tag, first.name(), List.of(
                RunCommand.unless(upgraded(tag), "kubeadm upgrade apply " + tag + " -y")))
                .verifiedBy(Verification.within(Kube.API_START, Kube.API_HEALTHY))
                .withTimeout(Duration.ofMinutes(15));
        List<Phase> phases = new ArrayList<>();
        phases.add(Phase.serial(name + "-kubeadm", "kubeadm " + in.path().to() + " and upgrade plan on "
                + first.name(), List.of(kubeadm(in, first), plan)));
        phases.addAll(ApiserverRestart.around(name + "-1", in.target().spec(), first, round(in), List.of(apply)));
        return phases;
    }

    /**
     * The other control planes: kubeadm upgraded on each ({@code NAME-kubeadm}), then one at a time kubeadm upgrade
     * node with its apiserver drained on every haproxy meanwhile.
     */
    static List<Phase> controlPlanes(String name, UpgradeInput in) {
        List<HostSpec> others = JoinNodes.otherControlPlanes(in.target());
        if (others.isEmpty()) {
            return List.of();
        }
        List<Phase> phases = new ArrayList<>();
        phases.add(Phase.parallel(name + "-kubeadm", "kubeadm " + in.path().to() + " on the other control planes",
                others.stream().map(h -> kubeadm(in, h)).toList()));
        for (int i = 0; i < others.size(); i++) {
            HostSpec host = others.get(i);
            Step node = Step.of("upgrade.node", "kubeadm upgrade node", host.name(), List.of(
                    RunCommand.unless(upgraded(in.tag()), "kubeadm upgrade node")))
                    .verifiedBy(Verification.within(Kube.API_START, Kube.API_HEALTHY))
                    .withTimeout(Duration.ofMinutes(15));
            phases.addAll(ApiserverRestart.around(name + "-" + (i + 1), in.target().spec(), host, round(in),
                    List.of(node)));
        }
        return phases;
    }

    /** Names the apiserver restarts of this upgrade: an upgrade to the same version run again resumes them. */
    private static String round(UpgradeInput in) {
        return "upgrade-" + in.tag();
    }

    /**
     * Node by node: control planes one at a time, then workers in batches of maxUnavailable; each batch is drained
     * (from the first control plane), upgraded and restarted, then uncordoned and waited for.
     */
    static List<Phase> kubelets(String name, UpgradeInput in) {
        List<List<HostSpec>> batches = new ArrayList<>();
        in.target().spec().hostsWith(Role.CONTROL_PLANE).forEach(h -> batches.add(List.of(h)));
        List<HostSpec> workers = JoinNodes.workers(in.target());
        for (int i = 0; i < workers.size(); i += in.maxUnavailable()) {
            batches.add(workers.subList(i, Math.min(workers.size(), i + in.maxUnavailable())));
        }
        HostSpec first = Topology.firstControlPlane(in.target().spec());
        List<Phase> phases = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            List<HostSpec> batch = batches.get(b);
            String names = String.join(", ", batch.stream().map(HostSpec::name).toList());
            String prefix = name + "-" + (b + 1);
            phases.add(Phase.serial(prefix + "-drain", "Drain " + names, batch.stream()
                    .map(h -> drain(in, first, h)).toList()));
            phases.add(Phase.parallel(prefix + "-upgrade", "Upgrade kubelet and kubectl on " + names, batch.stream()
                    .flatMap(h -> nodeSteps(in, h).stream()).toList()));
            phases.add(Phase.serial(prefix + "-uncordon", "Uncordon " + names + " and wait until Ready",
                    batch.stream().map(h -> uncordon(in, first, h)).toList()));
        }
        return phases;
    }

    /** Every node Ready on the target version, /healthz through the VIP, and every etcd member healthy. */
    static Optional<Phase> verify(String name, UpgradeInput in) {
        ClusterSpec spec = in.target().spec();
        HostSpec first = Topology.firstControlPlane(spec);
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("upgrade.versions", "Every node runs kubelet " + in.tag(), first.name(), List.of())
                .verifiedBy(Verification.within(Duration.ofSeconds(60), Kube.API_HEALTHY + " && test \"$("
                        + Kube.KUBECTL + " get nodes --no-headers | awk '$5 == \"" + in.tag() + "\"' | wc -l)\" -eq "
                        + in.target().kubernetesNodes().size())).onEveryRun());
        if (!spec.stackedEtcd()) {
            HostSpec member = EtcdCtl.members(spec).get(0);
            steps.add(Step.of("upgrade.etcd-healthy", "Every etcd member is healthy", member.name(), List.of())
                    .verifiedBy(Verification.within(Duration.ofSeconds(30),
                            StartEtcd.health(spec, EtcdUnit.clientUrl(member), true))).onEveryRun());
        }
        return Optional.of(Phase.parallel(name, "Verify the cluster at " + in.tag(), steps));
    }

    private static Step kubeadm(UpgradeInput in, HostSpec host) {
        OsFamily family = in.target().factsOf(host).osFamily();
        String version = in.path().to().toString();
        return Step.of("upgrade.kubeadm", "Install kubeadm " + version + " and hold it", host.name(), List.of(
                RunCommand.unless(InstallKubernetes.installed(family, version, List.of("kubeadm")),
                        InstallKubernetes.install(family, version, List.of("kubeadm")))))
                .withAttempts(3).withTimeout(Duration.ofMinutes(10));
    }

    private static Step drain(UpgradeInput in, HostSpec first, HostSpec node) {
        return Step.of("upgrade.drain." + node.name(), "kubectl drain " + node.name(), first.name(), List.of(
                RunCommand.unless(onTarget(in, node), Kube.drain(node.name(), in.drainTimeout()))))
                .withTimeout(in.drainTimeout().plusMinutes(1));
    }

    /**
     * Workers run kubeadm upgrade node too (their kubelet configuration); the kubelet restarts once per upgrade and
     * counts as restarted only once the new one answers its /healthz, so the node is never uncordoned before it runs.
     * Every step names the target version, so the journal of an earlier upgrade does not count it done.
     */
    private static List<Step> nodeSteps(UpgradeInput in, HostSpec node) {
        OsFamily family = in.target().factsOf(node).osFamily();
        String version = in.path().to().toString();
        List<String> packages = List.of("kubelet", "kubectl");
        List<Step> steps = new ArrayList<>();
        if (!node.has(Role.CONTROL_PLANE)) {
            steps.add(kubeadm(in, node));
            steps.add(Step.of("upgrade.node", "kubeadm upgrade node", node.name(), List.of(
                    RunCommand.always(kubeadmIs(in.tag()) + " && kubeadm upgrade node")))
                    .withTimeout(Duration.ofMinutes(10)));
        }
        steps.add(Step.of("upgrade.kubelet", "Install kubelet and kubectl " + version + " and hold them",
                node.name(), List.of(RunCommand.unless(InstallKubernetes.installed(family, version, packages),
                        InstallKubernetes.install(family, version, packages))))
                .withAttempts(3).withTimeout(Duration.ofMinutes(10)));
        steps.add(Step.of("upgrade.kubelet-restart", "Restart the kubelet " + in.tag(), node.name(), List.of(
                RunCommand.unless("kubelet --version | grep -qx 'Kubernetes " + in.tag() + "' && test \"$(date -d"
                        + " \"$(systemctl show -p ActiveEnterTimestamp --value kubelet)\" +%s 2>/dev/null || echo 0)\""
                        + " -gt \"$(stat -c %Z \"$(command -v kubelet)\")\"",
                "systemctl daemon-reload && systemctl restart kubelet")))
                .verifiedBy(Verification.within(KUBELET_HEALTHY, "systemctl is-active --quiet kubelet && "
                        + KUBELET_HEALTHZ)));
        return steps;
    }

    private static Step uncordon(UpgradeInput in, HostSpec first, HostSpec node) {
        return Step.of("upgrade.uncordon." + node.name(), "kubectl uncordon " + node.name(), first.name(), List.of(
                RunCommand.always(Kube.KUBECTL + " uncordon " + ShellQuote.quote(node.name()))))
                .verifiedBy(new Verification(onTarget(in, node), KUBELET_READY, Duration.ofSeconds(2)))
                .withTimeout(KUBELET_READY.plusMinutes(1));
    }

    /** The node is Ready, schedulable and reports the target kubelet version. */
    private static String onTarget(UpgradeInput in, HostSpec node) {
        return Kube.KUBECTL + " get node " + ShellQuote.quote(node.name()) + " --no-headers | awk '$2 == \"Ready\" && $5"
                + " == \"" + in.tag() + "\" {ok=1} END {exit !ok}'";
    }

    /** Fails, saying so, unless the installed kubeadm is the target version. */
    private static String kubeadmIs(String tag) {
        return "{ [ \"$(kubeadm version -o short)\" = " + tag + " ] || { echo \"kubeadm is $(kubeadm version -o short),"
                + " not " + tag + "\" >&2; exit 1; }; }";
    }

    /** This control plane's kube-apiserver manifest runs the target image already. */
    private static String upgraded(String tag) {
        return "grep -q 'kube-apiserver:" + tag + "$' " + APISERVER_MANIFEST;
    }

    /** Fails, naming them, when kubeadm's certificates (not missing ones) end within the margin. */
    static String certificatesLast(Duration margin) {
        return "out=$(kubeadm certs check-expiration -o json) && short=$(printf '%s' \"$out\" | tr -d ' \\n\\t'"
                + " | tr '}' '\\n' | grep -v '\"missing\":true'"
                + " | sed -n 's/.*\"name\":\"\\([^\"]*\\)\".*\"residualTime\":\\(-\\{0,1\\}[0-9]*\\).*/\\1 \\2/p'"
                + " | awk '$2 < " + margin.toSeconds() + " {printf \"%s \", $1}') && { [ -z \"$short\" ] || { echo"
                + " \"certificates ending within " + margin.toHours() + " h: $short- renew them first (kubeadm certs"
                + " renew)\" >&2; exit 1; }; }";
    }

    /** Fails, naming them, when an etcd member runs a version older than {@code minimum}. */
    static String etcdAtLeast(ClusterSpec spec, String minimum) {
        return "versions=$(" + EtcdCtl.command(spec, String.join(",", EtcdUnit.clientUrls(spec)))
                + " endpoint status -w json | grep -o '\"version\":\"[0-9.]*\"' | cut -d'\"' -f4) && [ -n \"$versions\" ]"
                + " && for v in $versions; do [ \"$(printf '%s\\n' " + minimum + " \"$v\" | sort -V | head -n1)\" = "
                + minimum + " ] || { echo \"etcd $v is older than " + minimum + ", the oldest this Kubernetes accepts:"
                + " upgrade etcd first\" >&2; exit 1; }; done";
    }
}
