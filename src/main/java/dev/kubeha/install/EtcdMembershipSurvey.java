package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.plan.EtcdCtl;
import dev.kubeha.plan.EtcdMembers;
import dev.kubeha.plan.EtcdMembership;
import dev.kubeha.plan.EtcdUpgrade;
import dev.kubeha.render.EtcdFiles;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import dev.kubeha.ssh.SshHosts;
import dev.kubeha.ssh.SshSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Reads the external etcd's live membership ({@code etcdctl member list}, read-only) through the answers' etcd hosts
 * in order, from the first that has a member certificate and gets an answer; empty when none does (no cluster yet).
 */
public final class EtcdMembershipSurvey {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * What the survey found: the members, or why no host answered (one line per host tried), and the control planes
     * whose kube-apiserver does not use exactly the answers' etcd members (a run stopped before it rolled them).
     */
    public record Found(Optional<List<EtcdMembership.Member>> members, List<String> tried, List<String> staleApiservers) {
    }

    private EtcdMembershipSurvey() {
    }

    /** The live members, as the first answering etcd host of the answers lists them, and the stale apiservers. */
    public static Found read(ClusterSpec spec, SshSettings settings) {
        List<String> tried = new ArrayList<>();
        try (SshHosts ssh = new SshHosts(settings)) {
            List<String> stale = new ArrayList<>();
            String want = EtcdMembers.etcdServers(spec);
            for (HostSpec cp : spec.hostsWith(Role.CONTROL_PLANE)) {
                try {
                    RemoteHost host = ssh.host(cp, spec.ssh());
                    host.connect();
                    ExecResult servers = host.run(RemoteCommand.probe("grep -o -- '--etcd-servers=.*' "
                            + EtcdMembers.APISERVER_MANIFEST + " || true", TIMEOUT), line -> { });
                    if (!servers.stdout().isBlank() && !servers.stdout().strip().equals(want)) {
                        stale.add(cp.name());
                    }
                } catch (SshException e) {
                    tried.add(cp.name() + ": " + e.getMessage());
                }
            }
            Optional<String> listed = firstAnswer(ssh, spec, EtcdMembershipSurvey::script, tried);
            if (listed.isPresent()) {
                return new Found(Optional.of(EtcdMembership.parse(listed.get())), tried, stale);
            }
        }
        return new Found(Optional.empty(), tried, List.of());
    }

    /**
     * {@code etcdctl endpoint status} of the answers' members, as the first etcd host with a member certificate prints
     * it (members that do not answer are left out); empty when none printed a line, with why in {@code tried}.
     */
    public static Optional<String> endpointStatus(ClusterSpec spec, SshSettings settings, List<String> tried) {
        try (SshHosts ssh = new SshHosts(settings)) {
            return firstAnswer(ssh, spec, (s, member) -> withMemberCertificate(s, EtcdUpgrade.endpointStatus(s)
                    + " 2>/dev/null || true"), tried);
        }
    }

    /** What {@code script} prints on the first etcd host where it succeeds and prints something. */
    private static Optional<String> firstAnswer(SshHosts ssh, ClusterSpec spec,
                                                BiFunction<ClusterSpec, HostSpec, String> script, List<String> tried) {
        for (HostSpec member : EtcdCtl.members(spec)) {
            RemoteHost host = ssh.host(member, spec.ssh());
            try {
                host.connect();
                ExecResult result = host.run(RemoteCommand.probe(script.apply(spec, member), TIMEOUT), line -> { });
                if (result.ok() && !result.stdout().isBlank()) {
                    return Optional.of(result.stdout());
                }
                tried.add(member.name() + ": " + (result.ok() ? "no etcd member certificate, or no answer"
                        : "etcdctl failed: " + result.stderr().strip()));
            } catch (SshException e) {
                tried.add(member.name() + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Lists the members through the host's own etcd, when it has a member certificate; prints nothing otherwise. */
    static String script(ClusterSpec spec, HostSpec member) {
        return withMemberCertificate(spec, EtcdCtl.command(spec, EtcdUnit.clientUrl(member)) + " member list");
    }

    /** {@code command} where this host has an etcd member certificate; nothing printed elsewhere. */
    private static String withMemberCertificate(ClusterSpec spec, String command) {
        return "test -r " + ShellQuote.quote(EtcdFiles.cert(spec, EtcdUnit.SERVER_BASE_NAME)) + " || exit 0; "
                + command;
    }
}
