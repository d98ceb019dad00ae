package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostLayout;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.state.Secrets;
import java.util.List;

/** haproxy.cfg for every load-balancer host: a TCP frontend to every apiserver with a TLS /healthz check. */
public final class HaproxyConfig {
    public static final String PATH = HostLayout.HAPROXY_CONFIG;
    public static final String STATS_BIND = "127.0.0.1:8404";
    /**
     * haproxy's runtime API, root only: kubeha drains an apiserver's backend through it before restarting it. Inside
     * the chroot directory, which exists wherever this configuration runs (Debian and RHEL packages both ship it).
     */
    public static final String ADMIN_SOCKET = "/var/lib/haproxy/admin.sock";
    public static final String BACKEND = "kube-apiserver";
    public static final int CHECK_INTER_SECONDS = 2;
    public static final int CHECK_FALL = 3;
    public static final int CHECK_RISE = 2;

    private HaproxyConfig() {
    }

    public static List<RenderedFile> render(ClusterSpec spec, Secrets secrets) {
        List<HostSpec> lbHosts = spec.hostsWith(Role.LOAD_BALANCER);
        if (lbHosts.isEmpty()) {
            return List.of();
        }
        Topology.requireSafeSecret(secrets.haproxyStatsPassword(), 8, "haproxy stats password");
        String text = config(spec, secrets);
        return lbHosts.stream().map(h -> RenderedFile.text(h.name(), PATH, 0640, text)).toList();
    }

    private static String config(ClusterSpec spec, Secrets secrets) {
        StringBuilder c = new StringBuilder();
        c.append("# Rendered by kubeha: the Kubernetes API load balancer behind the VIP ")
                .append(Topology.word(spec.loadBalancer().vip(), "loadBalancer.vip")).append(".\n");
        c.append("# Client and server timeouts outlast the apiserver's longest watch (min-request-timeout 1800 s,\n");
        c.append("# randomised up to twice that), so idle watches are not cut. maxconn is left to haproxy, which\n");
        c.append("# sizes it from the file-descriptor limit it can get. A refused connection is retried on another\n");
        c.append("# apiserver at once (redispatch), so one restarting apiserver is not seen through the VIP.\n\n");
        c.append("global\n");
        c.append("    log /dev/log local0\n");
        c.append("    chroot /var/lib/haproxy\n");
        c.append("    stats socket ").append(ADMIN_SOCKET).append(" mode 600 level admin\n");
        c.append("    user haproxy\n");
        c.append("    group haproxy\n");
        c.append("    daemon\n\n");
        c.append("defaults\n");
        c.append("    mode tcp\n");
        c.append("    log global\n");
        c.append("    option tcplog\n");
        c.append("    option dontlognull\n");
        c.append("    retries 3\n");
        c.append("    option redispatch 1\n");
        c.append("    timeout connect 5s\n");
        c.append("    timeout client 65m\n");
        c.append("    timeout server 65m\n");
        c.append("    timeout check 5s\n\n");
        c.append("frontend kube-apiserver\n");
        c.append("    bind *:").append(spec.loadBalancer().port()).append('\n');
        c.append("    mode tcp\n");
        c.append("    option tcplog\n");
        c.append("    default_backend ").append(BACKEND).append("\n\n");
        c.append("backend ").append(BACKEND).append('\n');
        c.append("    mode tcp\n");
        c.append("    balance roundrobin\n");
        c.append("    option httpchk\n");
        c.append("    http-check connect ssl\n");
        c.append("    http-check send meth GET uri /healthz\n");
        c.append("    http-check expect status 200\n");
        c.append("    default-server inter ").append(CHECK_INTER_SECONDS).append("s fall ").append(CHECK_FALL)
                .append(" rise ").append(CHECK_RISE).append('\n');
        for (HostSpec cp : spec.hostsWith(Role.CONTROL_PLANE)) {
            c.append("    server ").append(Topology.word(cp.name(), "hosts: a name")).append(' ')
                    .append(Topology.word(Topology.hostPort(cp.address(), Topology.APISERVER_PORT), cp.name()
                            + ": address"))
                    .append(" check check-ssl verify none\n");
        }
        c.append('\n');
        c.append("listen stats\n");
        c.append("    bind ").append(STATS_BIND).append('\n');
        c.append("    mode http\n");
        c.append("    stats enable\n");
        c.append("    stats uri /stats\n");
        c.append("    stats refresh 10s\n");
        c.append("    stats auth admin:").append(secrets.haproxyStatsPassword()).append('\n');
        return c.toString();
    }
}
