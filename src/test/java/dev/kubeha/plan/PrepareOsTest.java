package dev.kubeha.plan;

import static dev.kubeha.facts.OsFamily.DEBIAN;
import static dev.kubeha.facts.OsFamily.RHEL;
import static dev.kubeha.plan.PhaseTable.GUIDE;
import static dev.kubeha.plan.PhaseTable.OWN_LB;
import static dev.kubeha.plan.PhaseTable.SEPARATE_LB;
import static dev.kubeha.plan.PhaseTable.STACKED;
import static dev.kubeha.plan.PhaseTable.cluster;

import dev.kubeha.plan.PhaseTable.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PrepareOs per OS family, topology and proxy mode: ufw (Debian) or firewalld (RHEL) ports by role, each a no-op
 * when that firewall is not active; the proxy mode's packages and modules; SELinux only on RHEL Kubernetes nodes.
 */
class PrepareOsTest {
    static final String ANY_HOST = "os.hostname os.hosts os.firewall";
    static final String NODE = ANY_HOST + " os.swap os.modules os.sysctl";
    static final String NODE_WITH_PACKAGES = ANY_HOST + " os.swap os.packages os.modules os.sysctl";
    static final String IPVS = "network: {proxyMode: ipvs}";
    static final String NFTABLES = "network: {proxyMode: nftables}";

    static Stream<Row> rows() {
        return Stream.of(
                new Row("guide, debian, ipvs: ufw, apt ipset ipvsadm, the IPVS modules", DEBIAN, cluster(GUIDE, IPVS))
                        .steps(List.of("cp1", "cp2"), NODE_WITH_PACKAGES)
                        .steps(List.of("etcd1", "etcd2", "etcd3"), ANY_HOST)
                        .steps("node1", NODE_WITH_PACKAGES)
                        .script("cp1", "os.hostname", """
                            unless: test "$(hostname)" = cp1
                            run: hostnamectl set-hostname cp1
                            """)
                        .script("cp1", "os.hosts", """
                            merge into /etc/hosts:
                            # BEGIN kubeha managed block (cluster kubernetes)
                            10.0.8.6 cp1
                            10.0.8.12 cp2
                            10.0.8.21 etcd1
                            10.0.8.22 etcd2
                            10.0.8.23 etcd3
                            10.0.8.31 node1
                            # END kubeha managed block
                            """)
                        .script("cp1", "os.firewall", """
                            unless: ! command -v ufw >/dev/null || ! ufw status | grep -q 'Status: active' || { ufw \
                            status | grep -q '^16443/tcp ' && ufw status | grep -q '^6443/tcp ' && ufw status | grep \
                            -q '^10257/tcp ' && ufw status | grep -q '^10259/tcp ' && ufw status | grep -q \
                            '^10250/tcp ' && ufw status | grep -q '^8472/udp '; }
                            run: ufw allow 16443/tcp && ufw allow 6443/tcp && ufw allow 10257/tcp && ufw allow \
                            10259/tcp && ufw allow 10250/tcp && ufw allow 8472/udp
                            """)
                        .script("etcd1", "os.firewall", """
                            unless: ! command -v ufw >/dev/null || ! ufw status | grep -q 'Status: active' || { ufw \
                            status | grep -q '^2379:2380/tcp '; }
                            run: ufw allow 2379:2380/tcp
                            """)
                        .script("node1", "os.firewall", """
                            unless: ! command -v ufw >/dev/null || ! ufw status | grep -q 'Status: active' || { ufw \
                            status | grep -q '^10250/tcp ' && ufw status | grep -q '^30000:32767/tcp ' && ufw status \
                            | grep -q '^8472/udp '; }
                            run: ufw allow 10250/tcp && ufw allow 30000:32767/tcp && ufw allow 8472/udp
                            """)
                        .script("cp1", "os.swap", """
                            unless: test -z "$(swapon --noheadings --show 2>/dev/null)" && ! grep -Eq \
                            '^[^#].*[[:space:]]swap[[:space:]]' /etc/fstab
                            run: swapoff -a && sed -i -E 's/^([^#].*[[:space:]]swap[[:space:]].*)$/# kubeha: \\1/' \
                            /etc/fstab
                            """)
                        .script("cp1", "os.packages", """
                            unless: for p in ipset ipvsadm; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep \
                            -q 'ok installed' || exit 1; done
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; { ls /var/lib/apt/lists/*_Packages \
                            >/dev/null 2>&1 || apt-get update -q; } && apt-get install -y -q --no-install-recommends \
                            ipset ipvsadm
                            attempts: 3
                            """)
                        .script("cp1", "os.modules", """
                            write /etc/modules-load.d/ipvs.conf 0644 root
                            write /etc/modules-load.d/k8s.conf 0644 root
                            after a change: for m in $(cat /etc/modules-load.d/k8s.conf \
                            /etc/modules-load.d/ipvs.conf | grep -v '^#'); do modprobe "$m" 2>/dev/null || echo \
                            "modprobe $m failed: it must be built into the kernel"; done
                            verify: grep -qw overlay /proc/filesystems && test -e \
                            /proc/sys/net/bridge/bridge-nf-call-iptables && test -e /proc/net/ip_vs
                            """)
                        .script("cp1", "os.sysctl", """
                            write /etc/sysctl.d/k8s.conf 0644 root
                            after a change: sysctl -q -p /etc/sysctl.d/k8s.conf
                            verify: test "$(sysctl -n net.ipv4.ip_forward)" = 1
                            """),
                new Row("guide, rhel, ipvs: firewalld with VRRP on load balancers, dnf, permissive SELinux", RHEL,
                        cluster(GUIDE, IPVS))
                        .steps(List.of("cp1", "cp2"), NODE_WITH_PACKAGES + " os.selinux")
                        .steps(List.of("etcd1", "etcd2", "etcd3"), ANY_HOST)
                        .steps("node1", NODE_WITH_PACKAGES + " os.selinux")
                        .script("cp1", "os.firewall", """
                            unless: ! systemctl is-active --quiet firewalld || { firewall-cmd --query-port=16443/tcp \
                            >/dev/null && firewall-cmd --query-port=6443/tcp >/dev/null && firewall-cmd \
                            --query-port=10257/tcp >/dev/null && firewall-cmd --query-port=10259/tcp >/dev/null && \
                            firewall-cmd --query-port=10250/tcp >/dev/null && firewall-cmd --query-port=8472/udp \
                            >/dev/null && firewall-cmd --query-rich-rule='rule protocol value="vrrp" accept' \
                            >/dev/null; }
                            run: firewall-cmd --permanent --add-port=16443/tcp && firewall-cmd --permanent \
                            --add-port=6443/tcp && firewall-cmd --permanent --add-port=10257/tcp && firewall-cmd \
                            --permanent --add-port=10259/tcp && firewall-cmd --permanent --add-port=10250/tcp && \
                            firewall-cmd --permanent --add-port=8472/udp && firewall-cmd --permanent \
                            --add-rich-rule='rule protocol value="vrrp" accept' && firewall-cmd --reload
                            """)
                        .script("etcd1", "os.firewall", """
                            unless: ! systemctl is-active --quiet firewalld || { firewall-cmd \
                            --query-port=2379-2380/tcp >/dev/null; }
                            run: firewall-cmd --permanent --add-port=2379-2380/tcp && firewall-cmd --reload
                            """)
                        .script("node1", "os.packages", """
                            unless: rpm -q ipset ipvsadm >/dev/null
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            dnf install -y -q ipset ipvsadm
                            attempts: 3
                            """)
                        .script("node1", "os.selinux", """
                            unless: ! command -v getenforce >/dev/null || { test "$(getenforce)" != Enforcing && ! \
                            grep -q '^SELINUX=enforcing' /etc/selinux/config; }
                            run: setenforce 0; sed -i 's/^SELINUX=enforcing$/SELINUX=permissive/' /etc/selinux/config
                            """),
                new Row("stacked, debian, iptables: etcd's ports on every control plane, no packages", DEBIAN,
                        cluster(STACKED))
                        .steps(List.of("cp1", "cp2", "cp3", "node1"), NODE)
                        .script("cp1", "os.firewall", """
                            unless: ! command -v ufw >/dev/null || ! ufw status | grep -q 'Status: active' || { ufw \
                            status | grep -q '^16443/tcp ' && ufw status | grep -q '^6443/tcp ' && ufw status | grep \
                            -q '^10257/tcp ' && ufw status | grep -q '^10259/tcp ' && ufw status | grep -q \
                            '^2379:2380/tcp ' && ufw status | grep -q '^10250/tcp ' && ufw status | grep -q \
                            '^8472/udp '; }
                            run: ufw allow 16443/tcp && ufw allow 6443/tcp && ufw allow 10257/tcp && ufw allow \
                            10259/tcp && ufw allow 2379:2380/tcp && ufw allow 10250/tcp && ufw allow 8472/udp
                            """)
                        .script("cp3", "os.firewall", """
                            unless: ! command -v ufw >/dev/null || ! ufw status | grep -q 'Status: active' || { ufw \
                            status | grep -q '^6443/tcp ' && ufw status | grep -q '^10257/tcp ' && ufw status | grep \
                            -q '^10259/tcp ' && ufw status | grep -q '^2379:2380/tcp ' && ufw status | grep -q \
                            '^10250/tcp ' && ufw status | grep -q '^8472/udp '; }
                            run: ufw allow 6443/tcp && ufw allow 10257/tcp && ufw allow 10259/tcp && ufw allow \
                            2379:2380/tcp && ufw allow 10250/tcp && ufw allow 8472/udp
                            """)
                        .script("node1", "os.modules", """
                            write /etc/modules-load.d/k8s.conf 0644 root
                            after a change: for m in $(cat /etc/modules-load.d/k8s.conf | grep -v '^#'); do modprobe \
                            "$m" 2>/dev/null || echo "modprobe $m failed: it must be built into the kernel"; done
                            verify: grep -qw overlay /proc/filesystems && test -e \
                            /proc/sys/net/bridge/bridge-nf-call-iptables
                            """),
                new Row("separate load balancers, rhel, nftables: only the VIP's port and VRRP on lb hosts", RHEL,
                        cluster(SEPARATE_LB, NFTABLES))
                        .steps(List.of("lb1", "lb2"), ANY_HOST)
                        .steps(List.of("cp1", "cp2", "node1"), NODE_WITH_PACKAGES + " os.selinux")
                        .script("lb1", "os.firewall", """
                            unless: ! systemctl is-active --quiet firewalld || { firewall-cmd --query-port=6443/tcp \
                            >/dev/null && firewall-cmd --query-rich-rule='rule protocol value="vrrp" accept' \
                            >/dev/null; }
                            run: firewall-cmd --permanent --add-port=6443/tcp && firewall-cmd --permanent \
                            --add-rich-rule='rule protocol value="vrrp" accept' && firewall-cmd --reload
                            """)
                        .script("cp1", "os.firewall", """
                            unless: ! systemctl is-active --quiet firewalld || { firewall-cmd --query-port=6443/tcp \
                            >/dev/null && firewall-cmd --query-port=10257/tcp >/dev/null && firewall-cmd \
                            --query-port=10259/tcp >/dev/null && firewall-cmd --query-port=2379-2380/tcp >/dev/null \
                            && firewall-cmd --query-port=10250/tcp >/dev/null && firewall-cmd --query-port=8472/udp \
                            >/dev/null; }
                            run: firewall-cmd --permanent --add-port=6443/tcp && firewall-cmd --permanent \
                            --add-port=10257/tcp && firewall-cmd --permanent --add-port=10259/tcp && firewall-cmd \
                            --permanent --add-port=2379-2380/tcp && firewall-cmd --permanent --add-port=10250/tcp && \
                            firewall-cmd --permanent --add-port=8472/udp && firewall-cmd --reload
                            """)
                        .script("cp1", "os.packages", """
                            unless: rpm -q nftables >/dev/null
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            dnf install -y -q nftables
                            attempts: 3
                            """),
                new Row("own load balancer, debian, nftables: no load-balancer port anywhere", DEBIAN,
                        cluster(OWN_LB, NFTABLES))
                        .steps(List.of("cp1", "cp2", "node1"), NODE_WITH_PACKAGES)
                        .script("cp1", "os.packages", """
                            unless: for p in nftables; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q \
                            'ok installed' || exit 1; done
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; { ls /var/lib/apt/lists/*_Packages \
                            >/dev/null 2>&1 || apt-get update -q; } && apt-get install -y -q --no-install-recommends \
                            nftables
                            attempts: 3
                            """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plansEachHostsPreparation(Row row, @TempDir Path dir) {
        PhaseTable.check(Install.OS, row, dir);
    }
}
