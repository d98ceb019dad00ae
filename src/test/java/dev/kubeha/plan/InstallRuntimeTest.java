package dev.kubeha.plan;

import static dev.kubeha.facts.OsFamily.DEBIAN;
import static dev.kubeha.facts.OsFamily.RHEL;
import static dev.kubeha.plan.PhaseTable.GUIDE;
import static dev.kubeha.plan.PhaseTable.OWN_LB;
import static dev.kubeha.plan.PhaseTable.SEPARATE_LB;
import static dev.kubeha.plan.PhaseTable.cluster;

import dev.kubeha.plan.PhaseTable.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * InstallRuntime per runtime, OS family and topology: containerd (by default from its release archive with runc and the
 * CNI plugins on apt hosts, at the releases the answers give or kubeha pins; containerd.io from Docker's repository on
 * dnf hosts; either way when chosen) or Docker Engine with cri-dockerd from
 * its release archive, configured, started and checked on every Kubernetes node and on no other host.
 */
class InstallRuntimeTest {
    static final List<String> NODES = List.of("cp1", "cp2", "node1");
    static final String CONTAINERD = "runtime.package runtime.config";
    /** containerd's archive install: containerd and runc, then the CNI plugins, then the configuration. */
    static final String CONTAINERD_ARCHIVE = "runtime.package runtime.cni-plugins runtime.config";
    static final String DOCKER = "runtime.package runtime.config runtime.cri-dockerd";
    /** containerd's configuration, whichever way it was installed. */
    static final String CONFIG = """
            write /etc/containerd/config.toml 0644 root
            after a change: systemctl restart containerd
            unless: systemctl is-enabled --quiet containerd && systemctl is-active --quiet containerd
            run: systemctl enable --now containerd
            verify within 30s: ctr --address /run/containerd/containerd.sock version >/dev/null
            """;
    /** containerd and runc from their releases, as every amd64 node gets them for Kubernetes 1.36. */
    static final String ARCHIVE = """
            install containerd containerd-shim-runc-v2 ctr into /usr/local/bin from \
            /home/op/.kubeha/cache/containerd/containerd-2.3.4-linux-amd64.tar.gz sha256 \
            9d68969855fbf676cdb8ed758e420fb048d61f984f61de3e53eddfebe484d168
            copy /home/op/.kubeha/cache/runc/runc-1.4.3.amd64 to /usr/local/sbin/runc 0755 sha256 \
            f6ae8efc0fa40079e1475e97cbe9d1bd3f106a28d6af78a11d9f1bd565515e60
            write /etc/systemd/system/containerd.service 0644 root
            after a change: systemctl daemon-reload && systemctl try-restart containerd
            timeout: 600s
            """;
    /** The CNI plugins 1.9.1 from their release, beside what kubernetes-cni installs. */
    static final String CNI = """
            unless: test -d /opt/cni/bin
            run: install -d -m 0755 /opt/cni/bin
            install bandwidth bridge dhcp dummy firewall host-device host-local ipvlan loopback macvlan portmap ptp \
            sbr static tap tuning vlan vrf into /opt/cni/bin from \
            /home/op/.kubeha/cache/cni-plugins/cni-plugins-linux-amd64-v1.9.1.tgz sha256 \
            b98f74a0f8522f0a83867178729c1aa70f2158f90c45a2ca8fa791db1c76b303, keeping files a package owns
            timeout: 600s
            """;
    /** containerd 2.1.9 and runc 1.3.6 as the operator gives them (the lab's repacks), for Kubernetes 1.36. */
    static final String GIVEN = """
            containerRuntimeInstall: archive
            containerRuntimeArchives:
              containerd: {version: "2.1.9", archive: /srv/containerd-2.1.9-linux-amd64.tar.gz,
                  archiveSha256: c5f756909e9d4b20c275b491625448fb3792b030b091c3749c0011b79ea3ff12}
              runc: {version: 1.3.6}
            """;

    static Stream<Row> rows() {
        return Stream.of(
                new Row("guide, debian, containerd: containerd 2.3.4 and runc 1.4.3 from their releases", DEBIAN,
                        cluster(GUIDE))
                        .steps(NODES, CONTAINERD_ARCHIVE)
                        .script("node1", "runtime.package", ARCHIVE)
                        .script("node1", "runtime.cni-plugins", CNI)
                        .script("node1", "runtime.config", CONFIG),
                new Row("guide, debian, containerd 2.1.9 and runc 1.3.6 as given: the releases the answers name",
                        DEBIAN, cluster(GUIDE, GIVEN))
                        .steps(NODES, CONTAINERD_ARCHIVE)
                        .script("cp2", "runtime.package", """
                            install containerd containerd-shim-runc-v2 ctr into /usr/local/bin from \
                            /home/op/.kubeha/cache/containerd/containerd-2.1.9-linux-amd64.tar.gz sha256 \
                            c5f756909e9d4b20c275b491625448fb3792b030b091c3749c0011b79ea3ff12
                            copy /home/op/.kubeha/cache/runc/runc-1.3.6.amd64 to /usr/local/sbin/runc 0755 sha256 \
                            3f3921dbbee7723e9868f97e88e51ffc910206e3ba55646e74d93d24ea76023c
                            write /etc/systemd/system/containerd.service 0644 root
                            after a change: systemctl daemon-reload && systemctl try-restart containerd
                            timeout: 600s
                            """)
                        .script("cp2", "runtime.cni-plugins", CNI),
                new Row("guide, debian, containerd from the distribution: its package", DEBIAN,
                        cluster(GUIDE, "containerRuntimeInstall: distribution"))
                        .steps(NODES, CONTAINERD)
                        .script("cp1", "runtime.package", """
                            unless: command -v containerd >/dev/null
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; { ls /var/lib/apt/lists/*_Packages \
                            >/dev/null 2>&1 || apt-get update -q; } && apt-get install -y -q --no-install-recommends \
                            containerd
                            attempts: 3
                            timeout: 600s
                            """)
                        .script("cp1", "runtime.config", CONFIG),
                new Row("guide, rhel, containerd: containerd.io from Docker's repository", RHEL, cluster(GUIDE))
                        .steps(NODES, CONTAINERD)
                        .script("node1", "runtime.package", """
                            write /etc/yum.repos.d/docker-ce.repo 0644 root
                            unless: command -v containerd >/dev/null
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            dnf install -y -q containerd.io
                            attempts: 3
                            timeout: 600s
                            """),
                new Row("guide, debian, docker: docker.io, then cri-dockerd 0.3.26 from its release", DEBIAN,
                        cluster(GUIDE, "containerRuntime: docker"))
                        .steps(NODES, DOCKER)
                        .script("node1", "runtime.package", """
                            unless: command -v dockerd >/dev/null
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; { ls /var/lib/apt/lists/*_Packages \
                            >/dev/null 2>&1 || apt-get update -q; } && apt-get install -y -q --no-install-recommends \
                            docker.io
                            attempts: 3
                            timeout: 600s
                            """)
                        .script("node1", "runtime.config", """
                            write /etc/docker/daemon.json 0644 root
                            after a change: systemctl restart docker
                            unless: systemctl is-enabled --quiet docker && systemctl is-active --quiet docker
                            run: systemctl enable --now docker
                            verify within 30s: docker info >/dev/null
                            """)
                        .script("node1", "runtime.cri-dockerd", """
                            install cri-dockerd into /usr/local/bin from \
                            /home/op/.kubeha/cache/cri-dockerd/cri-dockerd-0.3.26.amd64.tgz sha256 \
                            87f31c964d974cdce9c883c79b69e355c3c323e51d3a7d36cda140e6df7b8d5a
                            write /etc/systemd/system/cri-docker.service 0644 root
                            write /etc/systemd/system/cri-docker.socket 0644 root
                            after a change: systemctl daemon-reload && systemctl restart cri-docker.socket \
                            cri-docker.service
                            unless: systemctl is-enabled --quiet cri-docker.socket && systemctl is-active --quiet \
                            cri-docker.socket
                            run: systemctl enable --now cri-docker.socket
                            verify within 30s: test -S /run/cri-dockerd.sock
                            """),
                new Row("guide, rhel, containerd from its release archive: no Docker repository", RHEL,
                        cluster(GUIDE, "containerRuntimeInstall: archive"))
                        .steps(NODES, CONTAINERD_ARCHIVE)
                        .script("cp2", "runtime.package", ARCHIVE),
                new Row("own load balancer, rhel, docker: docker-ce from Docker's repository", RHEL,
                        cluster(OWN_LB, "containerRuntime: docker"))
                        .steps(NODES, DOCKER)
                        .script("cp1", "runtime.package", """
                            write /etc/yum.repos.d/docker-ce.repo 0644 root
                            unless: command -v dockerd >/dev/null
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            dnf install -y -q docker-ce docker-ce-cli containerd.io
                            attempts: 3
                            timeout: 600s
                            """),
                new Row("separate load balancers, debian: none on lb1 and lb2", DEBIAN, cluster(SEPARATE_LB))
                        .steps(NODES, CONTAINERD_ARCHIVE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plansTheRuntimeOnEveryKubernetesNode(Row row, @TempDir Path dir) {
        PhaseTable.check(Install.RUNTIME, row, dir);
    }
}
