package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.plan.EtcdCtl;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds, read-only, what the drills stop: the load-balancer host holding the VIP and the etcd leader. */
public final class DrillTargets {
    private static final Duration PROBE = Duration.ofSeconds(15);
    private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\":(\\d+)");
    private static final Pattern LEADER = Pattern.compile("\"leader\":(\\d+)");

    private DrillTargets() {
    }

    /** The load-balancer host whose interfaces carry the VIP now. */
    public static Optional<String> vipHolder(ClusterSpec spec, Function<String, RemoteHost> hosts)
            throws SshException {
        String check = "ip -o addr show | grep -qF " + ShellQuote.quote(" " + spec.loadBalancer().vip() + "/");
        for (HostSpec lb : spec.hostsWith(Role.LOAD_BALANCER)) {
            if (hosts.apply(lb.name()).run(RemoteCommand.probe(check, PROBE), line -> { }).ok()) {
                return Optional.of(lb.name());
            }
        }
        return Optional.empty();
    }

    /** The member that reports itself as the leader. */
    public static Optional<String> etcdLeader(ClusterSpec spec, Function<String, RemoteHost> hosts)
            throws SshException {
        for (HostSpec member : EtcdCtl.members(spec)) {
            ExecResult r = hosts.apply(member.name()).run(RemoteCommand.probe(EtcdCtl.command(spec,
                    EtcdUnit.clientUrl(member)) + " endpoint status -w json", PROBE), line -> { });
            if (r.ok() && isLeader(r.stdout())) {
                return Optional.of(member.name());
            }
        }
        return Optional.empty();
    }

    static boolean isLeader(String statusJson) {
        Matcher id = MEMBER_ID.matcher(statusJson);
        Matcher leader = LEADER.matcher(statusJson);
        return id.find() && leader.find() && id.group(1).equals(leader.group(1));
    }
}
