package dev.kubeha.render;

import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostLayout;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.VrrpMode;
import dev.kubeha.state.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** keepalived.conf and its haproxy check script for every load-balancer host. */
public final class Keepalived {
    public static final String CONFIG = HostLayout.KEEPALIVED_CONFIG;
    public static final String CHECK_SCRIPT = "/etc/keepalived/check_haproxy.sh";
    public static final int TOP_PRIORITY = 150;
    public static final int PRIORITY_STEP = 10;
    public static final int CHECK_INTERVAL_SECONDS = 2;
    public static final int CHECK_TIMEOUT_SECONDS = 3;
    public static final int FALL = 2;
    public static final int RISE = 2;
    public static final int ADVERT_INTERVAL_SECONDS = 1;
    /** VRRP's master-down interval at this advert interval, rounded up: 3 adverts plus a skew under one advert. */
    public static final int MASTER_DOWN_SECONDS = 4 * ADVERT_INTERVAL_SECONDS;
    /** The check script's argument that makes it test only that haproxy runs (cheap, so every second). */
    public static final String RUNNING_ONLY = "running";
    public static final int RUNNING_INTERVAL_SECONDS = 1;
    /** Longer than the interval, so a slow start of the script on a loaded host does not count as haproxy gone. */
    public static final int RUNNING_TIMEOUT_SECONDS = 3;
    static final int CONNECT_TIMEOUT_SECONDS = 2;
    private static final int AUTH_PASS_CHARS = 8;

    private Keepalived() {
    }

    /** MASTER first with the highest priority, each BACKUP {@value #PRIORITY_STEP} lower. */
    public static List<Integer> priorities(int hosts) {
        if (hosts < 1 || TOP_PRIORITY - PRIORITY_STEP * (hosts - 1) < 1) {
            throw new RenderException("hosts: keepalived priorities support 1 to "
                    + (TOP_PRIORITY / PRIORITY_STEP + 1) + " load-balancer hosts, not " + hosts);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            out.add(TOP_PRIORITY - PRIORITY_STEP * i);
        }
        return out;
    }

    /** A negative weight whose magnitude exceeds the largest gap between any two priorities. */
    public static int weight(List<Integer> priorities) {
        int gap = priorities.stream().mapToInt(Integer::intValue).max().orElse(0)
                - priorities.stream().mapToInt(Integer::intValue).min().orElse(0);
        return -(gap + PRIORITY_STEP);
    }

    /** True when any host whose check fails drops below every healthy host, so the VIP always leaves it. */
    public static boolean failsOver(List<Integer> priorities, int weight) {
        for (int i = 0; i < priorities.size(); i++) {
            for (int j = 0; j < priorities.size(); j++) {
                if (i != j && priorities.get(i) + weight >= priorities.get(j)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Worst case from haproxy hanging to the VIP moving: fall checks and one hung check lower the holder's priority;
     * its peers discard its lower-priority adverts and take over when VRRP's master-down interval ends.
     */
    public static int worstCaseFailoverSeconds() {
        return FALL * CHECK_INTERVAL_SECONDS + CHECK_TIMEOUT_SECONDS + MASTER_DOWN_SECONDS;
    }

    /**
     * Worst case from haproxy exiting to the VIP moving: the every-second running check (fall 1, weight 0) puts the
     * holder in FAULT, which sends a priority-0 advert, and the next peer takes over after its skew time (under one
     * advert interval) instead of the master-down interval.
     */
    public static int exitFailoverSeconds() {
        return RUNNING_INTERVAL_SECONDS + ADVERT_INTERVAL_SECONDS;
    }

    public static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts, Secrets secrets) {
        List<HostSpec> lbHosts = spec.hostsWith(Role.LOAD_BALANCER);
        if (lbHosts.isEmpty()) {
            return List.of();
        }
        Topology.requireSafeSecret(secrets.vrrpPassword(), AUTH_PASS_CHARS, "VRRP password");
        List<Integer> priorities = priorities(lbHosts.size());
        int weight = weight(priorities);
        List<RenderedFile> out = new ArrayList<>();
        for (int i = 0; i < lbHosts.size(); i++) {
            HostSpec host = lbHosts.get(i);
            String nic = Topology.word(Topology.vipInterface(spec, host, Topology.facts(facts, host)),
                    host.name() + ": the VIP's interface");
            out.add(RenderedFile.text(host.name(), CONFIG, 0600,
                    config(spec, lbHosts, i, nic, priorities.get(i), weight, secrets)));
            out.add(RenderedFile.text(host.name(), CHECK_SCRIPT, 0755, checkScript(spec.loadBalancer().port())));
        }
        return out;
    }

    private static String config(ClusterSpec spec, List<HostSpec> lbHosts, int index, String nic, int priority,
                                 int weight, Secrets secrets) {
        HostSpec host = lbHosts.get(index);
        String vip = Topology.word(spec.loadBalancer().vip(), "loadBalancer.vip");
        StringBuilder c = new StringBuilder();
        c.append("# Rendered by kubeha for ").append(host.name()).append(": holds the apiserver VIP ").append(vip)
                .append(" in front of haproxy.\n");
        c.append("# The first load-balancer host is MASTER. When haproxy exits, the every-second running check puts\n")
                .append("# the host in FAULT, which hands the VIP over at once (a priority-0 advert): within about ")
                .append(exitFailoverSeconds()).append(" s.\n# When haproxy hangs, the connect check lowers the priority by ")
                .append(-weight).append(", more than the largest priority gap,\n# so the VIP moves within about ")
                .append(worstCaseFailoverSeconds()).append(" s. No process tracking: the running check hands over")
                .append(" sooner, and inside a\n# container keepalived gets no process events, counts haproxy as gone and")
                .append(" lowers the priority by\n# a weight that changes with the number of load-balancer hosts.\n\n");
        c.append("global_defs {\n");
        c.append("    router_id ").append(Topology.word(host.name(), "hosts: a name")).append('\n');
        c.append("    script_user nobody\n");
        c.append("    enable_script_security\n");
        c.append("}\n\n");
        c.append("vrrp_script check_haproxy {\n");
        c.append("    script \"").append(CHECK_SCRIPT).append("\"\n");
        c.append("    interval ").append(CHECK_INTERVAL_SECONDS).append('\n');
        c.append("    timeout ").append(CHECK_TIMEOUT_SECONDS).append('\n');
        c.append("    fall ").append(FALL).append('\n');
        c.append("    rise ").append(RISE).append('\n');
        c.append("    weight ").append(weight).append('\n');
        c.append("}\n\n");
        c.append("vrrp_script haproxy_running {\n");
        c.append("    script \"").append(CHECK_SCRIPT).append(' ').append(RUNNING_ONLY).append("\"\n");
        c.append("    interval ").append(RUNNING_INTERVAL_SECONDS).append('\n');
        c.append("    timeout ").append(RUNNING_TIMEOUT_SECONDS).append('\n');
        c.append("    fall 1\n");
        c.append("    rise ").append(RISE).append('\n');
        c.append("    weight 0\n");
        c.append("}\n\n");
        c.append("vrrp_instance kube_apiserver {\n");
        c.append("    state ").append(index == 0 ? "MASTER" : "BACKUP").append('\n');
        c.append("    interface ").append(nic).append('\n');
        c.append("    virtual_router_id ").append(spec.loadBalancer().virtualRouterId()).append('\n');
        c.append("    priority ").append(priority).append('\n');
        c.append("    advert_int ").append(ADVERT_INTERVAL_SECONDS).append('\n');
        if (spec.loadBalancer().vrrp() == VrrpMode.UNICAST) {
            c.append("    unicast_src_ip ").append(Topology.word(host.address(), host.name() + ": address"))
                    .append('\n');
            c.append("    unicast_peer {\n");
            for (HostSpec peer : lbHosts) {
                if (peer != host) {
                    c.append("        ").append(Topology.word(peer.address(), peer.name() + ": address"))
                            .append('\n');
                }
            }
            c.append("    }\n");
            c.append("    unicast_fault_no_peer\n");
        } else {
            c.append("    mcast_src_ip ").append(Topology.word(host.address(), host.name() + ": address"))
                    .append('\n');
        }
        c.append("    # keepalived uses only the first 8 characters of auth_pass and sends them in clear text:\n");
        c.append("    # this is not a security boundary; firewall VRRP (IP protocol 112) to the load-balancer hosts.\n");
        c.append("    authentication {\n");
        c.append("        auth_type PASS\n");
        c.append("        auth_pass ").append(secrets.vrrpPassword(), 0, AUTH_PASS_CHARS).append('\n');
        c.append("    }\n");
        c.append("    virtual_ipaddress {\n");
        c.append("        ").append(vip).append(vip.contains(":") ? "/128" : "/32").append(" dev ").append(nic)
                .append('\n');
        c.append("    }\n");
        c.append("    track_script {\n");
        c.append("        check_haproxy\n");
        c.append("        haproxy_running\n");
        c.append("    }\n");
        c.append("}\n");
        return c.toString();
    }

    private static String checkScript(int port) {
        return "#!/bin/bash\n"
                + "# Rendered by kubeha for keepalived's vrrp_script check_haproxy.\n"
                + "# Fails when haproxy is not running or its local frontend 127.0.0.1:" + port + " does not accept a\n"
                + "# connection, so keepalived lowers this host's priority and the VIP moves; with the argument\n"
                + "# '" + RUNNING_ONLY + "' (vrrp_script haproxy_running) it checks only that haproxy runs. It never\n"
                + "# starts, restarts or kills anything.\n"
                + "pgrep -x haproxy >/dev/null || exit 1\n"
                + "[ \"${1:-}\" = " + RUNNING_ONLY + " ] && exit 0\n"
                + "timeout " + CONNECT_TIMEOUT_SECONDS + " bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + port
                + "' 2>/dev/null || exit 2\n"
                + "exit 0\n";
    }
}
