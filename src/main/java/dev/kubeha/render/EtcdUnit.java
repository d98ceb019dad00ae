package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostLayout;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.Role;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The systemd unit {@code /etc/systemd/system/etcd.service} of each external etcd member. */
public final class EtcdUnit {
    public static final String PATH = HostLayout.ETCD_UNIT;
    /**
     * Where kubeha installs etcd: the release archive's binary. Distribution packages lag behind the minimum
     * external etcd version of current kubeadm, so kubeha does not use {@code /usr/bin/etcd} from a package.
     */
    public static final String DEFAULT_BINARY = "/usr/local/bin/etcd";
    public static final int CLIENT_PORT = 2379;
    public static final int PEER_PORT = 2380;
    public static final String SERVER_BASE_NAME = "server";
    public static final String PEER_BASE_NAME = "peer";

    private EtcdUnit() {
    }

    /** The units of every etcd member; none for stacked etcd. */
    public static List<RenderedFile> renderAll(ClusterSpec spec, String etcdBinary) {
        return spec.hostsWith(Role.ETCD).stream().map(member -> render(spec, member, etcdBinary)).toList();
    }

    /**
     * How a member's first start finds its cluster: every member of the answers starting together ({@code new}), or
     * one member joining running ones ({@code existing}), whose --initial-cluster lists exactly the members etcd has
     * then, as NAME=PEER_URL, the joining one included.
     */
    public record Bootstrap(List<String> initialCluster, boolean existing) {
        public Bootstrap {
            initialCluster = List.copyOf(initialCluster);
        }

        /** Every member of the answers, together: the install's bootstrap. */
        public static Bootstrap newCluster(ClusterSpec spec) {
            return new Bootstrap(spec.hostsWith(Role.ETCD).stream().map(EtcdUnit::clusterEntry).toList(), false);
        }

        /** A member joining {@code running} (NAME=PEER_URL each) after etcdctl member add. */
        public static Bootstrap joining(List<String> running, HostSpec member) {
            List<String> all = new ArrayList<>(running);
            all.add(clusterEntry(member));
            return new Bootstrap(all, true);
        }
    }

    /** The unit of one member: its own name and address in every URL, mutual TLS on client and peer ports. */
    public static RenderedFile render(ClusterSpec spec, HostSpec member, String etcdBinary) {
        return render(spec, member, etcdBinary, Bootstrap.newCluster(spec));
    }

    /** The unit of one member that first starts as {@code bootstrap} says. */
    public static RenderedFile render(ClusterSpec spec, HostSpec member, String etcdBinary, Bootstrap bootstrap) {
        if (!member.has(Role.ETCD)) {
            throw new IllegalArgumentException(member.name() + " is not an etcd member");
        }
        List<String> flags = List.of(
                "--name=" + member.name(),
                "--data-dir=" + spec.etcd().dataDir(),
                "--listen-peer-urls=" + peerUrl(member),
                "--initial-advertise-peer-urls=" + peerUrl(member),
                "--listen-client-urls=" + String.join(",", listenClientUrls(member)),
                "--advertise-client-urls=" + clientUrl(member),
                "--initial-cluster=" + String.join(",", bootstrap.initialCluster()),
                "--initial-cluster-token=" + initialClusterToken(spec),
                "--initial-cluster-state=" + (bootstrap.existing() ? "existing" : "new"),
                "--cert-file=" + EtcdFiles.cert(spec, SERVER_BASE_NAME),
                "--key-file=" + EtcdFiles.key(spec, SERVER_BASE_NAME),
                "--trusted-ca-file=" + EtcdFiles.ca(spec),
                "--client-cert-auth=true",
                "--peer-cert-file=" + EtcdFiles.cert(spec, PEER_BASE_NAME),
                "--peer-key-file=" + EtcdFiles.key(spec, PEER_BASE_NAME),
                "--peer-trusted-ca-file=" + EtcdFiles.ca(spec),
                "--peer-client-cert-auth=true",
                "--peer-cert-allowed-cn=" + EtcdFiles.PEER_COMMON_NAME,
                "--snapshot-count=50000",
                "--auto-compaction-retention=1",
                "--max-request-bytes=10485760",
                "--quota-backend-bytes=8589934592");
        String text = "# Rendered by kubeha: etcd member " + SystemdUnits.text(member.name()) + " of cluster "
                + SystemdUnits.text(spec.cluster().name()) + ".\n"
                + "[Unit]\n"
                + "Description=etcd key-value store (member " + SystemdUnits.text(member.name()) + ")\n"
                + "Documentation=https://etcd.io/docs/\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n"
                + "\n"
                + "[Service]\n"
                + "Type=notify\n"
                + "User=" + EtcdFiles.ETCD_USER + "\n"
                + "Group=" + EtcdFiles.ETCD_USER + "\n"
                + "ExecStart=" + SystemdUnits.argument(etcdBinary) + " \\\n"
                + flags.stream().map(f -> "  " + SystemdUnits.argument(f)).collect(Collectors.joining(" \\\n"))
                + "\n"
                + "Restart=always\n"
                + "RestartSec=10s\n"
                + "LimitNOFILE=65536\n"
                + "OOMScoreAdjust=-999\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
        return RenderedFile.text(member.name(), PATH, 0644, text);
    }

    public static String clientUrl(HostSpec member) {
        return "https://" + Topology.hostPort(member.address(), CLIENT_PORT);
    }

    public static String peerUrl(HostSpec member) {
        return "https://" + Topology.hostPort(member.address(), PEER_PORT);
    }

    /** The client URLs of all members, e.g. for kubeadm's etcd.external.endpoints. */
    public static List<String> clientUrls(ClusterSpec spec) {
        return spec.hostsWith(Role.ETCD).stream().map(EtcdUnit::clientUrl).toList();
    }

    /** Derived from the cluster name, so that members of two clusters never join each other by mistake. */
    public static String initialClusterToken(ClusterSpec spec) {
        return spec.cluster().name() + "-etcd";
    }

    /**
     * The member's own address, and 127.0.0.1 for local clients; a member whose own address is itself a loopback
     * address (several members on one machine, as in tests) shares 127.0.0.1's port with the others, so it does not.
     */
    static List<String> listenClientUrls(HostSpec member) {
        List<String> urls = new ArrayList<>(List.of(clientUrl(member)));
        boolean loopback = IpLiteral.parse(member.address()).map(InetAddress::isLoopbackAddress).orElse(false);
        if (!loopback) {
            urls.add("https://127.0.0.1:" + CLIENT_PORT);
        }
        return urls;
    }

    /** Every member as NAME=PEER_URL, as etcd's --initial-cluster and etcdutl snapshot restore take it. */
    public static String initialCluster(ClusterSpec spec) {
        return String.join(",", Bootstrap.newCluster(spec).initialCluster());
    }

    /** One member as NAME=PEER_URL. */
    public static String clusterEntry(HostSpec member) {
        return member.name() + "=" + peerUrl(member);
    }

}
