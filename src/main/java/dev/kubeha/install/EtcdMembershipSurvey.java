package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.plan.EtcdCtl;
import dev.kubeha.plan.EtcdMembers;
import dev.kubeha.plan.EtcdMembership;
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
            for (HostSpec member : EtcdCtl.members(spec)) {
                RemoteHost host = ssh.host(member, spec.ssh());
                try {
                    host.connect();
                    ExecResult result = host.run(RemoteCommand.probe(script(spec, member), TIMEOUT), line -> { });
                    if (result.ok() && !result.stdout().isBlank()) {
                        return new Found(Optional.of(EtcdMembership.parse(result.stdout())), tried, stale);
                    }
                    tried.add(member.name() + ": " + (result.ok() ? "no etcd member certificate"
                            : "etcdctl member list failed: " + result.stderr().strip()));
                } catch (SshException e) {
                    tried.add(member.name() + ": " + e.getMessage());
                }
            }
        }
        return new Found(Optional.empty(), tried, List.of());
    }

    /** Lists the members through the host's own etcd, when it has a member certificate; prints nothing otherwise. */
    static String script(ClusterSpec spec, HostSpec member) {
        return "test -r " + ShellQuote.quote(EtcdFiles.cert(spec, EtcdUnit.SERVER_BASE_NAME)) + " || exit 0; "
                + EtcdCtl.command(spec, EtcdUnit.clientUrl(member)) + " member list";
    }
}
