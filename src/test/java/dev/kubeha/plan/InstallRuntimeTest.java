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
 * InstallRuntime per runtime, OS family and topology: containerd (the distribution's on apt hosts, containerd.io from
 * Docker's repository on dnf hosts) or Docker Engine with cri-dockerd, configured, started and checked on every
 * Kubernetes node and on no other host.
 */
class InstallRuntimeTest {
    static final List<String> NODES = List.of("cp1", "cp2", "node1");
    static final String CONTAINERD = "runtime.package runtime.config";
    static final String DOCKER = "runtime.package runtime.config runtime.cri-dockerd";

    static Stream<Row> rows() {
        return Stream.of(
                new Row("guide, debian, containerd: the distribution's package", DEBIAN, cluster(GUIDE))
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
                        .script("cp1", "runtime.config", """
                            write /etc/containerd/config.toml 0644 root
                            after a change: systemctl restart containerd
                            unless: systemctl is-enabled --quiet containerd && systemctl is-active --quiet containerd
                            run: systemctl enable --now containerd
                            verify within 30s: ctr --address /run/containerd/containerd.sock version >/dev/null
                            """),
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
                new Row("guide, debian, docker: docker.io, then cri-dockerd which the operator installs", DEBIAN,
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
                            unless: systemctl cat cri-docker.service >/dev/null 2>&1
                            run: echo 'cri-dockerd is not installed: no distribution ships it; install the \
                            cri-dockerd package for this OS from https://github.com/Mirantis/cri-dockerd/releases, \
                            then run kubeha apply again' >&2; exit 1
                            write /etc/systemd/system/cri-docker.service.d/10-kubeha.conf 0644 root
                            after a change: systemctl daemon-reload && systemctl restart cri-docker.service
                            unless: systemctl is-enabled --quiet cri-docker.socket && systemctl is-active --quiet \
                            cri-docker.socket
                            run: systemctl enable --now cri-docker.socket
                            verify within 30s: test -S /run/cri-dockerd.sock
                            """),
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
                        .steps(NODES, CONTAINERD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plansTheRuntimeOnEveryKubernetesNode(Row row, @TempDir Path dir) {
        PhaseTable.check(Install.RUNTIME, row, dir);
    }
}
