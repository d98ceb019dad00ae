package dev.kubeha.plan;

import static dev.kubeha.facts.OsFamily.DEBIAN;
import static dev.kubeha.facts.OsFamily.RHEL;
import static dev.kubeha.plan.PhaseTable.ETCD_ARCHIVE_WITH_SHA;
import static dev.kubeha.plan.PhaseTable.ETCD_MEMBERS;
import static dev.kubeha.plan.PhaseTable.ETCD_PACKAGE_IN_DATA;
import static dev.kubeha.plan.PhaseTable.GUIDE;
import static dev.kubeha.plan.PhaseTable.LOCAL_ETCD_ARCHIVE;
import static dev.kubeha.plan.PhaseTable.OWN_LB;
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
 * InstallEtcd per etcd source, OS family and topology: the user, the binary (downloaded release, local archive with or
 * without a SHA-256, distribution package), the directories, certificates and unit on every member, and the API
 * server's client certificate on every control plane; nothing when etcd is stacked.
 */
class InstallEtcdTest {
    static final String MEMBER = "etcd.user etcd.binary etcd.dirs etcd.certs etcd.unit";

    static Stream<Row> rows() {
        return Stream.of(
                new Row("guide, debian, downloaded release: installed from the shared cache", DEBIAN, cluster(GUIDE))
                        .steps(ETCD_MEMBERS, MEMBER)
                        .steps(List.of("cp1", "cp2"), "etcd.client")
                        .script("etcd1", "etcd.user", """
                            unless: id -u etcd >/dev/null 2>&1
                            run: useradd --system --user-group --home-dir /var/lib/etcd --no-create-home --shell \
                            /usr/sbin/nologin etcd
                            """)
                        .script("etcd1", "etcd.binary", """
                            install etcd etcdctl etcdutl into /usr/local/bin from \
                            /home/op/.kubeha/cache/etcd/etcd-v3.6.9-linux-amd64.tar.gz sha256 \
                            633136f13fcadac52e5c0ddcb97912643af6fcb9cb362e75774d0f96f7666396
                            attempts: 3
                            """)
                        .script("etcd1", "etcd.dirs", """
                            unless: test "$(stat -c '%a %U' /var/lib/etcd)" = '700 etcd' && test "$(stat -c '%a %U' \
                            /etc/etcd/pki)" = '700 etcd'
                            run: install -d -m 0700 -o etcd -g etcd /var/lib/etcd /etc/etcd/pki && chmod 0700 \
                            /var/lib/etcd /etc/etcd/pki && chown etcd:etcd /var/lib/etcd /etc/etcd/pki
                            """)
                        .script("etcd1", "etcd.certs", """
                            write /etc/etcd/pki/ca.pem 0644 etcd
                            write /etc/etcd/pki/peer-key.pem 0600 etcd
                            write /etc/etcd/pki/peer.pem 0644 etcd
                            write /etc/etcd/pki/server-key.pem 0600 etcd
                            write /etc/etcd/pki/server.pem 0644 etcd
                            """)
                        .script("etcd1", "etcd.unit", """
                            write /etc/systemd/system/etcd.service 0644 root
                            after a change: systemctl daemon-reload
                            """)
                        .script("cp1", "etcd.client", """
                            write /etc/kubernetes/pki/etcd/ca.pem 0644 root
                            write /etc/kubernetes/pki/apiserver-etcd-client.pem 0644 root
                            write /etc/kubernetes/pki/apiserver-etcd-client-key.pem 0600 root
                            """),
                new Row("guide, rhel, local archive with its SHA-256", RHEL, cluster(GUIDE, ETCD_ARCHIVE_WITH_SHA))
                        .steps(ETCD_MEMBERS, MEMBER)
                        .steps(List.of("cp1", "cp2"), "etcd.client")
                        .script("etcd2", "etcd.binary", """
                            install etcd etcdctl etcdutl into /usr/local/bin from \
                            /srv/etcd-v3.5.24-linux-amd64.tar.gz sha256 \
                            042497e2ddcee06f22e5d486d81f58affa26b53ee423e2a6aaca3d3ea98c8191
                            attempts: 3
                            """),
                new Row("guide, debian, local archive checked against SHA256SUMS beside it", DEBIAN,
                        cluster(GUIDE, LOCAL_ETCD_ARCHIVE))
                        .steps(ETCD_MEMBERS, MEMBER)
                        .steps(List.of("cp1", "cp2"), "etcd.client")
                        .script("etcd3", "etcd.binary", """
                            install etcd etcdctl etcdutl into /usr/local/bin from /srv/etcd-v3.6.9-linux-amd64.tar.gz
                            attempts: 3
                            """),
                new Row("guide, debian, distribution package, data and certificates under /data/etcd", DEBIAN,
                        cluster(GUIDE, ETCD_PACKAGE_IN_DATA))
                        .steps(ETCD_MEMBERS, MEMBER)
                        .steps(List.of("cp1", "cp2"), "etcd.client")
                        .script("etcd1", "etcd.user", """
                            unless: id -u etcd >/dev/null 2>&1
                            run: useradd --system --user-group --home-dir /data/etcd --no-create-home --shell \
                            /usr/sbin/nologin etcd
                            """)
                        .script("etcd1", "etcd.binary", """
                            unless: for p in etcd-server etcd-client; do dpkg-query -W -f='${Status}' "$p" \
                            2>/dev/null | grep -q 'ok installed' || exit 1; done
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; { ls /var/lib/apt/lists/*_Packages \
                            >/dev/null 2>&1 || apt-get update -q; } && apt-get install -y -q --no-install-recommends \
                            etcd-server etcd-client
                            unless: ! systemctl is-active --quiet etcd || test -f /etc/systemd/system/etcd.service
                            run: systemctl disable --now etcd
                            attempts: 3
                            """)
                        .script("etcd1", "etcd.dirs", """
                            unless: test "$(stat -c '%a %U' /data/etcd)" = '700 etcd' && test "$(stat -c '%a %U' \
                            /data/etcd/ssl)" = '700 etcd'
                            run: install -d -m 0700 -o etcd -g etcd /data/etcd /data/etcd/ssl && chmod 0700 \
                            /data/etcd /data/etcd/ssl && chown etcd:etcd /data/etcd /data/etcd/ssl
                            """)
                        .script("etcd1", "etcd.certs", """
                            write /data/etcd/ssl/ca.pem 0644 etcd
                            write /data/etcd/ssl/peer-key.pem 0600 etcd
                            write /data/etcd/ssl/peer.pem 0644 etcd
                            write /data/etcd/ssl/server-key.pem 0600 etcd
                            write /data/etcd/ssl/server.pem 0644 etcd
                            """),
                new Row("guide with etcd.backup: each member's snapshot timer after its unit", DEBIAN, cluster(GUIDE,
                        "etcd: {backup: {schedule: \"Mon..Fri *-*-* 03:00:00\", keep: 5}}"))
                        .steps(ETCD_MEMBERS, MEMBER + " etcd.snapshot-timer")
                        .steps(List.of("cp1", "cp2"), "etcd.client")
                        .script("etcd2", "etcd.snapshot-timer", """
                            write /usr/local/sbin/kubeha-etcd-snapshot 0755 root
                            write /etc/systemd/system/kubeha-etcd-snapshot.service 0644 root
                            write /etc/systemd/system/kubeha-etcd-snapshot.timer 0644 root
                            after a change: systemd-analyze calendar 'Mon..Fri *-*-* 03:00:00' >/dev/null && \
                            systemctl daemon-reload && systemctl restart kubeha-etcd-snapshot.timer
                            unless: systemctl is-enabled --quiet kubeha-etcd-snapshot.timer && systemctl is-active \
                            --quiet kubeha-etcd-snapshot.timer
                            run: systemctl enable --now kubeha-etcd-snapshot.timer
                            verify within 10s: systemctl is-active --quiet kubeha-etcd-snapshot.timer
                            """),
                new Row("stacked, debian: kubeadm runs etcd", DEBIAN, cluster(STACKED)),
                new Row("own load balancer, rhel: kubeadm runs etcd", RHEL, cluster(OWN_LB)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plansTheMembersAndTheClientCertificates(Row row, @TempDir Path dir) {
        PhaseTable.check(Install.ETCD, row, dir);
    }
}
