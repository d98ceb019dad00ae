package dev.kubeha.plan;

import static dev.kubeha.facts.OsFamily.DEBIAN;
import static dev.kubeha.facts.OsFamily.RHEL;
import static dev.kubeha.plan.PhaseTable.ETCD_ARCHIVE_WITH_SHA;
import static dev.kubeha.plan.PhaseTable.ETCD_MEMBERS;
import static dev.kubeha.plan.PhaseTable.ETCD_PACKAGE_IN_DATA;
import static dev.kubeha.plan.PhaseTable.GUIDE;
import static dev.kubeha.plan.PhaseTable.OWN_LB;
import static dev.kubeha.plan.PhaseTable.STACKED;
import static dev.kubeha.plan.PhaseTable.cluster;

import dev.kubeha.plan.PhaseTable.Row;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * StartEtcd per etcd source and topology: every member enabled and started without blocking, all together (a new
 * cluster needs its quorum), then checked with etcdctl and the member's own certificate; nothing when etcd is stacked.
 */
class StartEtcdTest {
    static Stream<Row> rows() {
        return Stream.of(
                new Row("guide, debian, downloaded release: /usr/local/bin/etcdctl", DEBIAN, cluster(GUIDE))
                        .steps(ETCD_MEMBERS, "etcd.start")
                        .script("etcd1", "etcd.start", """
                            unless: systemctl is-enabled --quiet etcd && systemctl is-active --quiet etcd
                            run: systemctl enable etcd && systemctl start --no-block etcd
                            verify within 90s: ETCDCTL_API=3 /usr/local/bin/etcdctl \
                            --endpoints=https://10.0.8.21:2379 --cacert=/etc/etcd/pki/ca.pem \
                            --cert=/etc/etcd/pki/server.pem --key=/etc/etcd/pki/server-key.pem --command-timeout=5s \
                            endpoint health --cluster
                            timeout: 180s
                            """),
                new Row("guide, rhel, local archive", RHEL, cluster(GUIDE, ETCD_ARCHIVE_WITH_SHA))
                        .steps(ETCD_MEMBERS, "etcd.start"),
                new Row("guide, debian, distribution package: /usr/bin/etcdctl and the certificates in /data/etcd/ssl",
                        DEBIAN, cluster(GUIDE, ETCD_PACKAGE_IN_DATA))
                        .steps(ETCD_MEMBERS, "etcd.start")
                        .script("etcd2", "etcd.start", """
                            unless: systemctl is-enabled --quiet etcd && systemctl is-active --quiet etcd
                            run: systemctl enable etcd && systemctl start --no-block etcd
                            verify within 90s: ETCDCTL_API=3 /usr/bin/etcdctl --endpoints=https://10.0.8.22:2379 \
                            --cacert=/data/etcd/ssl/ca.pem --cert=/data/etcd/ssl/server.pem \
                            --key=/data/etcd/ssl/server-key.pem --command-timeout=5s endpoint health --cluster
                            timeout: 180s
                            """),
                new Row("stacked, debian: kubeadm starts etcd", DEBIAN, cluster(STACKED)),
                new Row("own load balancer, rhel: kubeadm starts etcd", RHEL, cluster(OWN_LB)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void startsEveryMemberTogether(Row row, @TempDir Path dir) {
        PhaseTable.check(Install.ETCD_START, row, dir);
    }
}
