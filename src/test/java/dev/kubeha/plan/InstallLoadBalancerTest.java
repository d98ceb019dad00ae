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
 * InstallLoadBalancer per OS family and topology: haproxy and keepalived installed with apt or dnf, configured, checked
 * and enabled on exactly the load-balancer hosts; nothing when the operator runs their own load balancer.
 */
class InstallLoadBalancerTest {
    static final String LB = "lb.packages lb.haproxy lb.keepalived";

    static Stream<Row> rows() {
        return Stream.of(
                new Row("guide, debian: on both control planes, apt", DEBIAN, cluster(GUIDE))
                        .steps(List.of("cp1", "cp2"), LB)
                        .script("cp1", "lb.packages", """
                            unless: for p in haproxy keepalived procps curl; do dpkg-query -W -f='${Status}' "$p" \
                            2>/dev/null | grep -q 'ok installed' || exit 1; done
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; { ls /var/lib/apt/lists/*_Packages \
                            >/dev/null 2>&1 || apt-get update -q; } && apt-get install -y -q --no-install-recommends \
                            haproxy keepalived procps curl
                            attempts: 3
                            """)
                        .script("cp1", "lb.haproxy", """
                            write /etc/haproxy/haproxy.cfg 0640 root
                            after a change: haproxy -c -q -f /etc/haproxy/haproxy.cfg && systemctl reload-or-restart \
                            haproxy
                            unless: systemctl is-enabled --quiet haproxy && systemctl is-active --quiet haproxy
                            run: systemctl enable --now haproxy
                            verify within 10s: systemctl is-active --quiet haproxy
                            """)
                        .script("cp1", "lb.keepalived", """
                            write /etc/keepalived/check_haproxy.sh 0755 root
                            write /etc/keepalived/keepalived.conf 0600 root
                            after a change: keepalived -t -f /etc/keepalived/keepalived.conf >/dev/null 2>&1; \
                            systemctl restart keepalived
                            unless: systemctl is-enabled --quiet keepalived && systemctl is-active --quiet keepalived
                            run: systemctl enable --now keepalived
                            verify within 10s: systemctl is-active --quiet keepalived
                            """),
                new Row("guide, rhel: dnf", RHEL, cluster(GUIDE))
                        .steps(List.of("cp1", "cp2"), LB)
                        .script("cp2", "lb.packages", """
                            unless: rpm -q haproxy keepalived procps curl perl-interpreter perl-IO >/dev/null
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            dnf install -y -q haproxy keepalived procps curl perl-interpreter perl-IO
                            attempts: 3
                            """),
                new Row("stacked, debian: on the two control planes that hold the VIP only", DEBIAN, cluster(STACKED))
                        .steps(List.of("cp1", "cp2"), LB),
                new Row("separate load balancers, rhel: on lb1 and lb2 only", RHEL, cluster(SEPARATE_LB))
                        .steps(List.of("lb1", "lb2"), LB),
                new Row("own load balancer, debian: nothing to do", DEBIAN, cluster(OWN_LB)),
                new Row("own load balancer, rhel: nothing to do", RHEL, cluster(OWN_LB)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plansTheLoadBalancerHosts(Row row, @TempDir Path dir) {
        PhaseTable.check(Install.LOAD_BALANCER, row, dir);
    }
}
