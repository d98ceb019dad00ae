package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.HaproxyConfig;
import dev.kubeha.render.KubeadmConfig;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.render.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The phases of the etcd membership workflow; {@link EtcdMembers} lists them in order. */
final class EtcdMemberPhases {
    static final String APISERVER_MANIFEST = EtcdMembers.APISERVER_MANIFEST;
    /** Beside the manifests directory, on the same file system: the kubelet never reads a half-written manifest. */
    static final String MANIFEST_DRAFT = "/etc/kubernetes/kube-apiserver.yaml.kubeha";
    /** An apiserver restarted this long ago has passed haproxy's rise checks, so the next one may restart. */
    static final int BACKEND_SETTLE_SECONDS = HaproxyConfig.CHECK_INTER_SECONDS * (HaproxyConfig.CHECK_RISE + 1);
    private static final Duration PROMOTE = Duration.ofMinutes(3);
    /** etcd refuses a member add until it has been connected to every voting member for 5 s (its HealthInterval). */
    private static final Duration ADD = Duration.ofMinutes(1);

    private EtcdMemberPhases() {
    }

    /** Every started voting member answers healthy, checked from the member kubeha works through. */
    static Optional<Phase> health(String name, EtcdMembersInput in) {
        ClusterSpec spec = in.install().spec();
        HostSpec anchor = anchor(in);
        List<String> voters = in.membership().live().stream().filter(EtcdMembership.Member::startedVoter)
                .map(m -> m.clientUrls().get(0)).toList();
        return Optional.of(Phase.parallel(name, "Check that every etcd voting member is healthy", List.of(
                Step.of("etcd.members-healthy", "Every etcd voting member answers healthy", anchor.name(), List.of())
                        .verifiedBy(Verification.within(Duration.ofSeconds(20),
                                EtcdCtl.command(spec, String.join(",", voters)) + " endpoint health"))
                        .onEveryRun())));
    }

    /** The joining hosts' OS preparation, as the install does it. */
    static Optional<Phase> os(String name, EtcdMembersInput in) {
        Set<String> joining = names(in.membership().joining());
        return PrepareOs.build(name, in.install()).map(p -> new Phase(p.name(), p.title(), p.steps().stream()
                .filter(s -> joining.contains(s.host())).toList(), false, List.of(), Phase.MAIN_LANE))
                .filter(p -> !p.steps().isEmpty());
    }

    /**
     * Each joining member's user, binary, directories and certificates (issued from the etcd CA in the state
     * directory), and a unit that joins the members etcd will have then.
     */
    static Optional<Phase> install(String name, EtcdMembersInput in) {
        ClusterSpec spec = in.install().spec();
        List<HostSpec> joining = in.membership().joining();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < joining.size(); i++) {
            HostSpec host = joining.get(i);
            WriteFile unit = new WriteFile(EtcdUnit.render(spec, host, spec.etcd().install().etcdBinary(),
                    EtcdUnit.Bootstrap.joining(in.membership().clusterWhenJoining(spec, i).stream()
                            .filter(e -> !e.equals(EtcdUnit.clusterEntry(host))).toList(), host)));
            steps.addAll(InstallEtcd.member(in.install(), host, unit));
        }
        return steps.isEmpty() ? Optional.empty() : Optional.of(Phase.parallel(name,
                "External etcd: install the joining members", steps));
    }

    /**
     * One joining member at a time (etcd admits one learner): added as a learner through the anchor member, started
     * on its host, then promoted once etcd accepts it as in sync with the leader.
     */
    static List<Phase> add(String name, EtcdMembersInput in) {
        ClusterSpec spec = in.install().spec();
        HostSpec anchor = anchor(in);
        String list = EtcdCtl.command(spec, EtcdUnit.clientUrl(anchor)) + " member list";
        List<Phase> phases = new ArrayList<>();
        List<HostSpec> joining = in.membership().joining();
        for (int i = 0; i < joining.size(); i++) {
            HostSpec host = joining.get(i);
            String peer = EtcdUnit.peerUrl(host);
            String prefix = name + "-" + (i + 1);
            phases.add(Phase.serial(prefix + "-learner", "Add " + host.name() + " to etcd as a learner", List.of(
                    Step.of("etcd.member-add." + host.name(), "etcdctl member add " + host.name() + " --learner",
                            anchor.name(), List.of(RunCommand.unless(list + " | grep -qF -- " + ShellQuote.quote(", "
                                    + peer + ", "), retrying("", EtcdCtl.command(spec, EtcdUnit.clientUrl(anchor))
                                    + " member add " + host.name() + " --learner --peer-urls=" + peer,
                                    "unhealthy cluster", ADD)))).withTimeout(ADD.plusMinutes(1)))));
            String started = list + " | grep -qF -- " + ShellQuote.quote(", started, " + host.name() + ", " + peer
                    + ", ");
            phases.add(Phase.serial(prefix + "-start", "Start etcd on " + host.name(), List.of(
                    Step.of("etcd.member-start", "Start etcd and wait until it joined as a learner", host.name(),
                            List.of(RunCommand.unless("systemctl is-enabled --quiet etcd && systemctl is-active"
                                    + " --quiet etcd", "systemctl enable etcd && systemctl start --no-block etcd")))
                            .verifiedBy(new Verification(started, Duration.ofMinutes(2), Duration.ofSeconds(2)))
                            .withTimeout(Duration.ofMinutes(3)))));
            String id = "$(" + list + " | awk -F', ' -v p=" + ShellQuote.quote(peer) + " '$4 == p {print $1}')";
            String promoted = list + " | grep -F -- " + ShellQuote.quote(", started, " + host.name() + ", " + peer
                    + ", ") + " | grep -q ', false$'";
            List<String> voters = new ArrayList<>(in.membership().staying().stream().map(EtcdUnit::clientUrl)
                    .toList());
            joining.subList(0, i + 1).forEach(h -> voters.add(EtcdUnit.clientUrl(h)));
            phases.add(Phase.serial(prefix + "-promote", "Promote " + host.name() + " to a voting member", List.of(
                    Step.of("etcd.member-promote." + host.name(), "etcdctl member promote " + host.name()
                                    + " once it is in sync with the leader", anchor.name(), List.of(RunCommand.unless(
                                    promoted, retrying("id=" + id + " && [ -n \"$id\" ] && ", EtcdCtl.command(spec,
                                            EtcdUnit.clientUrl(anchor)) + " member promote \"$id\"",
                                            "in sync with leader", PROMOTE))))
                            .verifiedBy(Verification.within(Duration.ofSeconds(30), promoted + " && "
                                    + EtcdCtl.command(spec, String.join(",", voters)) + " endpoint health"))
                            .withTimeout(PROMOTE.plusMinutes(1)))));
        }
        return phases;
    }

    /**
     * The kube-apiservers' --etcd-servers set to the answers' members (a control plane that has them already is only
     * checked), one control plane at a time: each restarted by its kubelet, healthy on its own address and past
     * haproxy's rise checks before the next; then kubeadm's ClusterConfiguration (kubeadm-config) uploaded from the
     * rendered init configuration, so upgrades keep them.
     */
    static List<Phase> apiservers(String name, EtcdMembersInput in) {
        PlanInput install = in.install();
        ClusterSpec spec = install.spec();
        List<HostSpec> controlPlanes = spec.hostsWith(Role.CONTROL_PLANE);
        if (controlPlanes.isEmpty()) {
            return List.of();
        }
        String want = EtcdMembers.etcdServers(spec);
        String has = "awk -v want=" + ShellQuote.quote(want) + " '{sub(/^[ \\t]*- /, \"\")} $0 == want {found=1}"
                + " END {exit !found}' " + APISERVER_MANIFEST;
        List<Phase> phases = new ArrayList<>();
        for (HostSpec cp : controlPlanes) {
            String created = "created=$(" + Kube.crictl(spec) + " ps --name '^kube-apiserver$' -o json | grep -o"
                    + " '\"createdAt\": *\"[0-9]*\"' | grep -o '[0-9][0-9]*' | head -n1) && [ -n \"$created\" ]"
                    + " && [ \"$((created / 1000000000))\" -ge \"$(stat -c %Y " + APISERVER_MANIFEST + ")\" ]"
                    + " && [ \"$(date +%s)\" -ge \"$((created / 1000000000 + " + BACKEND_SETTLE_SECONDS + "))\" ]";
            String healthy = "curl -fsS --max-time 5 --cacert /etc/kubernetes/pki/ca.crt https://"
                    + Topology.hostPort(cp.address(), Topology.APISERVER_PORT) + "/healthz >/dev/null";
            phases.addAll(ApiserverRestart.around(name + "-" + cp.name(), spec, cp, round(want),
                    List.of(Step.of("etcd.apiserver-endpoints", "Set the kube-apiserver's --etcd-servers to the "
                                    + "answers' etcd members", cp.name(), List.of(RunCommand.unless(has, "umask 077 &&"
                                    + " sed 's#^\\([[:space:]]*- --etcd-servers=\\).*$#\\1" + want.substring(
                                    "--etcd-servers=".length()) + "#' " + APISERVER_MANIFEST + " > " + MANIFEST_DRAFT
                                    + " && grep -qF -- " + ShellQuote.quote(want) + " " + MANIFEST_DRAFT + " && mv "
                                    + MANIFEST_DRAFT + " " + APISERVER_MANIFEST)))
                            .verifiedBy(new Verification(has + " && " + created + " && " + healthy,
                                    Kube.API_START, Duration.ofSeconds(2)))
                            .withTimeout(Kube.API_START.plusMinutes(1)))));
        }
        HostSpec first = Topology.firstControlPlane(spec);
        phases.add(Phase.serial(name + "-kubeadm-config", "kubeadm's ClusterConfiguration with the etcd endpoints",
                List.of(Step.of("etcd.kubeadm-config", "kubeadm init phase upload-config kubeadm", first.name(),
                        List.of(install.write(first, KubeadmConfig.INIT), RunCommand.always(
                                "kubeadm init phase upload-config kubeadm --config " + KubeadmConfig.INIT))))));
        return phases;
    }

    /** The restart round of the apiservers for these etcd endpoints: a resumed run does not drain them again. */
    static String round(String etcdServers) {
        return "etcd-servers-" + RenderedFile.sha256(etcdServers.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /**
     * The leaving member, once no apiserver uses it: leadership moved to the anchor member if it leads, removed from
     * the membership, then etcd stopped on its host and its data, certificates and unit deleted.
     */
    static List<Phase> remove(String name, EtcdMembersInput in) {
        ClusterSpec spec = in.install().spec();
        HostSpec anchor = anchor(in);
        List<Phase> phases = new ArrayList<>();
        String list = EtcdCtl.command(spec, EtcdUnit.clientUrl(anchor)) + " member list";
        List<String> remaining = EtcdUnit.clientUrls(spec);
        for (EtcdMembership.Member member : in.membership().leaving()) {
            HostSpec host = EtcdMembership.hostOf(member);
            String own = member.clientUrls().isEmpty() ? EtcdUnit.clientUrl(host) : member.clientUrls().get(0);
            String status = EtcdCtl.command(spec, own) + " endpoint status -w json";
            String leads = "s=$(" + status + ") && [ \"$(printf '%s' \"$s\" | grep -o '\"leader\":[0-9]*' | head -n1"
                    + " | cut -d: -f2)\" = \"$(printf '%s' \"$s\" | grep -o '\"member_id\":[0-9]*' | head -n1"
                    + " | cut -d: -f2)\" ]";
            String prefix = name + "-" + host.name();
            phases.add(Phase.serial(prefix + "-leader", "Move etcd's leadership away from " + host.name(), List.of(
                    Step.of("etcd.move-leader." + host.name(), "etcdctl move-leader to " + anchor.name() + " if "
                                    + host.name() + " leads", anchor.name(), List.of(RunCommand.unless("! { " + leads
                                    + "; }", "target=$(" + list + " | awk -F', ' -v p=" + ShellQuote.quote(
                                    EtcdUnit.peerUrl(anchor)) + " '$4 == p {print $1}') && [ -n \"$target\" ] && "
                                    + EtcdCtl.command(spec, own) + " move-leader \"$target\"")))
                            .verifiedBy(Verification.within(Duration.ofSeconds(30), "! { " + leads + "; }")))));
            String listed = list + " | grep -qF -- " + ShellQuote.quote(", " + member.peerUrls().get(0) + ", ");
            phases.add(Phase.serial(prefix + "-member", "Remove " + host.name() + " from etcd", List.of(
                    Step.of("etcd.member-remove." + host.name(), "etcdctl member remove " + member.id(),
                                    anchor.name(), List.of(RunCommand.unless("! " + listed, EtcdCtl.command(spec,
                                    EtcdUnit.clientUrl(anchor)) + " member remove " + member.id())))
                            .verifiedBy(Verification.within(Duration.ofSeconds(60), "! " + listed + " && "
                                    + EtcdCtl.command(spec, String.join(",", remaining)) + " endpoint health")))));
            if (in.install().membership().reachable(host.name())) {
                phases.add(Phase.serial(prefix + "-host", "Stop etcd on " + host.name() + " and delete its data",
                        ResetPhases.etcdMember(spec, host)));
            }
        }
        return phases;
    }

    /**
     * {@code command} run until it succeeds, every 2 s for {@code within}, while etcd refuses it with
     * {@code transientError} (a learner not in sync yet, a member just promoted); any other error fails at once.
     */
    static String retrying(String prepare, String command, String transientError, Duration within) {
        return "( " + prepare + "for i in $(seq 1 " + within.toSeconds() / 2 + "); do out=$(" + command + " 2>&1)"
                + " && exit 0; case \"$out\" in *" + ShellQuote.quote(transientError) + "*) sleep 2 ;; *) printf"
                + " '%s\\n' \"$out\" >&2; exit 1 ;; esac; done; printf '%s\\n' \"$out\" >&2; exit 1 )";
    }

    /** The member kubeha works through: the answers' first etcd host that is a started voting member. */
    static HostSpec anchor(EtcdMembersInput in) {
        if (in.membership().staying().isEmpty()) {
            throw new IllegalArgumentException("no etcd host of the answers is a started voting member: kubeha changes"
                    + " the membership through one of them");
        }
        return in.membership().staying().get(0);
    }

    private static Set<String> names(List<HostSpec> hosts) {
        return Set.copyOf(hosts.stream().map(HostSpec::name).toList());
    }
}
