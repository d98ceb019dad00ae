package dev.kubeha.plan;

import static dev.kubeha.facts.OsFamily.DEBIAN;
import static dev.kubeha.facts.OsFamily.RHEL;
import static dev.kubeha.plan.PhaseTable.GUIDE;
import static dev.kubeha.plan.PhaseTable.MIRROR_135;
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
 * PullImages per runtime and topology: the CRI socket answers on every Kubernetes node; every control plane pulls
 * kubeadm's images for the version from the cluster's repository (etcd only when it is stacked) with crictl and no
 * kubeadm, workers only the sandbox and kube-proxy images.
 */
class PullImagesTest {
    static final String IMAGES = "k8s.cri k8s.images";

    static Stream<Row> rows() {
        return Stream.of(
                new Row("guide, debian, containerd", DEBIAN, cluster(GUIDE))
                        .steps(List.of("cp1", "cp2", "node1"), IMAGES)
                        .script("cp1", "k8s.cri", """
                            verify within 30s: crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock \
                            info >/dev/null
                            """)
                        .script("cp1", "k8s.images", """
                            unless: crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock inspecti \
                            registry.k8s.io/kube-apiserver:v1.36.3 registry.k8s.io/kube-controller-manager:v1.36.3 \
                            registry.k8s.io/kube-scheduler:v1.36.3 registry.k8s.io/kube-proxy:v1.36.3 \
                            registry.k8s.io/coredns/coredns:v1.14.2 registry.k8s.io/pause:3.10.2 >/dev/null 2>&1
                            run: printf '%s\\n' registry.k8s.io/kube-apiserver:v1.36.3 \
                            registry.k8s.io/kube-controller-manager:v1.36.3 registry.k8s.io/kube-scheduler:v1.36.3 \
                            registry.k8s.io/kube-proxy:v1.36.3 registry.k8s.io/coredns/coredns:v1.14.2 \
                            registry.k8s.io/pause:3.10.2 | xargs -r -n 1 -P 8 crictl --runtime-endpoint \
                            unix:///var/run/containerd/containerd.sock pull
                            attempts: 3
                            timeout: 900s
                            """)
                        .script("node1", "k8s.images", """
                            unless: crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock inspecti \
                            registry.k8s.io/pause:3.10.2 registry.k8s.io/kube-proxy:v1.36.3 >/dev/null 2>&1
                            run: printf '%s\\n' registry.k8s.io/pause:3.10.2 registry.k8s.io/kube-proxy:v1.36.3 | \
                            xargs -r -n 1 -P 8 crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock \
                            pull
                            attempts: 3
                            timeout: 900s
                            """),
                new Row("guide, rhel, docker: through cri-dockerd's socket", RHEL,
                        cluster(GUIDE, "containerRuntime: docker"))
                        .steps(List.of("cp1", "cp2", "node1"), IMAGES)
                        .script("cp2", "k8s.cri", """
                            verify within 30s: crictl --runtime-endpoint unix:///var/run/cri-dockerd.sock info \
                            >/dev/null
                            """)
                        .script("node1", "k8s.images", """
                            unless: crictl --runtime-endpoint unix:///var/run/cri-dockerd.sock inspecti \
                            registry.k8s.io/pause:3.10.2 registry.k8s.io/kube-proxy:v1.36.3 >/dev/null 2>&1
                            run: printf '%s\\n' registry.k8s.io/pause:3.10.2 registry.k8s.io/kube-proxy:v1.36.3 | \
                            xargs -r -n 1 -P 8 crictl --runtime-endpoint unix:///var/run/cri-dockerd.sock pull
                            attempts: 3
                            timeout: 900s
                            """),
                new Row("stacked, debian, v1.35 from the operator's registry", DEBIAN, cluster(STACKED, MIRROR_135))
                        .steps(List.of("cp1", "cp2", "cp3", "node1"), IMAGES)
                        .script("cp3", "k8s.images", """
                            unless: crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock inspecti \
                            registry.example/k8s/kube-apiserver:v1.35.2 \
                            registry.example/k8s/kube-controller-manager:v1.35.2 \
                            registry.example/k8s/kube-scheduler:v1.35.2 registry.example/k8s/kube-proxy:v1.35.2 \
                            registry.example/k8s/coredns:v1.13.1 registry.example/k8s/pause:3.10.1 \
                            registry.example/k8s/etcd:3.6.6-0 >/dev/null 2>&1
                            run: printf '%s\\n' registry.example/k8s/kube-apiserver:v1.35.2 \
                            registry.example/k8s/kube-controller-manager:v1.35.2 \
                            registry.example/k8s/kube-scheduler:v1.35.2 registry.example/k8s/kube-proxy:v1.35.2 \
                            registry.example/k8s/coredns:v1.13.1 registry.example/k8s/pause:3.10.1 \
                            registry.example/k8s/etcd:3.6.6-0 | xargs -r -n 1 -P 8 crictl --runtime-endpoint \
                            unix:///var/run/containerd/containerd.sock pull
                            attempts: 3
                            timeout: 900s
                            """)
                        .script("node1", "k8s.images", """
                            unless: crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock inspecti \
                            registry.example/k8s/pause:3.10.1 registry.example/k8s/kube-proxy:v1.35.2 >/dev/null \
                            2>&1
                            run: printf '%s\\n' registry.example/k8s/pause:3.10.1 \
                            registry.example/k8s/kube-proxy:v1.35.2 | xargs -r -n 1 -P 8 crictl --runtime-endpoint \
                            unix:///var/run/containerd/containerd.sock pull
                            attempts: 3
                            timeout: 900s
                            """),
                new Row("separate load balancers, debian: none on lb1 and lb2", DEBIAN, cluster(SEPARATE_LB))
                        .steps(List.of("cp1", "cp2", "node1"), IMAGES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void pullsWhatEachNodeNeeds(Row row, @TempDir Path dir) {
        PhaseTable.check(Install.IMAGES, row, dir);
    }
}
