package dev.kubeha.plan;

import static dev.kubeha.facts.OsFamily.DEBIAN;
import static dev.kubeha.facts.OsFamily.RHEL;
import static dev.kubeha.plan.PhaseTable.GUIDE;
import static dev.kubeha.plan.PhaseTable.OWN_LB;
import static dev.kubeha.plan.PhaseTable.SEPARATE_LB;
import static dev.kubeha.plan.PhaseTable.cluster;

import dev.kubeha.plan.PhaseTable.Row;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VerifyVip per topology: the VIP is held by the first load-balancer host and answers on the load balancer's port from
 * every load-balancer host; nothing to check when the operator runs their own load balancer.
 */
class VerifyVipTest {
    static Stream<Row> rows() {
        return Stream.of(
                new Row("guide, debian: held by cp1, answers on 16443 from both control planes", DEBIAN,
                        cluster(GUIDE))
                        .steps("cp1", "vip.master vip.answers")
                        .steps("cp2", "vip.answers")
                        .script("cp1", "vip.master", """
                            verify within 30s: ip -o addr show | grep -qw 'inet6\\? 10.0.8.100/[0-9]*'
                            """)
                        .script("cp1", "vip.answers", """
                            verify within 30s: timeout 3 bash -c 'exec 3<>/dev/tcp/10.0.8.100/16443'
                            """)
                        .script("cp2", "vip.answers", """
                            verify within 30s: timeout 3 bash -c 'exec 3<>/dev/tcp/10.0.8.100/16443'
                            """),
                new Row("separate load balancers, rhel: held by lb1, answers on 6443 from lb1 and lb2", RHEL,
                        cluster(SEPARATE_LB))
                        .steps("lb1", "vip.master vip.answers")
                        .steps("lb2", "vip.answers")
                        .script("lb1", "vip.master", """
                            verify within 30s: ip -o addr show | grep -qw 'inet6\\? 10.0.8.100/[0-9]*'
                            """)
                        .script("lb2", "vip.answers", """
                            verify within 30s: timeout 3 bash -c 'exec 3<>/dev/tcp/10.0.8.100/6443'
                            """),
                new Row("own load balancer, debian: nothing to check", DEBIAN, cluster(OWN_LB)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void checksTheVipFromTheLoadBalancerHosts(Row row, @TempDir Path dir) {
        PhaseTable.check(Install.VIP, row, dir);
    }
}
