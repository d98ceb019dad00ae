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
 * PullImages per runtime and topology: the CRI socket answers on every Kubernetes node; the first control plane pulls
 * with kubeadm and its own configuration, the others with kubeadm and the version, repository and socket as flags,
 * workers only the sandbox and kube-proxy images with crictl.
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
                            write /etc/kubernetes/kubeadm-config.yaml 0600 root
                            unless: images=$(kubeadm config images list --config \
                            /etc/kubernetes/kubeadm-config.yaml) && for i in $images; do crictl --runtime-endpoint \
                            unix:///var/run/containerd/containerd.sock inspecti "$i" >/dev/null 2>&1 || exit 1; done
                            run: images=$(kubeadm config images list --config /etc/kubernetes/kubeadm-config.yaml) \
                            && printf '%s\\n' $images | xargs -r -n 1 -P 8 crictl --runtime-endpoint \
                            unix:///var/run/containerd/containerd.sock pull
                            attempts: 3
                            timeout: 900s
                            """)
                        .script("cp2", "k8s.images", """
                            unless: images=$(kubeadm config images list --kubernetes-version v1.36.3 \
                            --image-repository registry.k8s.io --cri-socket \
                            unix:///var/run/containerd/containerd.sock) && for i in $images; do crictl \
                            --runtime-endpoint unix:///var/run/containerd/containerd.sock inspecti "$i" >/dev/null \
                            2>&1 || exit 1; done
                            run: images=$(kubeadm config images list --kubernetes-version v1.36.3 --image-repository \
                            registry.k8s.io --cri-socket unix:///var/run/containerd/containerd.sock) && printf \
                            '%s\\n' $images | xargs -r -n 1 -P 8 crictl --runtime-endpoint \
                            unix:///var/run/containerd/containerd.sock pull
                            attempts: 3
                            timeout: 900s
                            """)
                        .script("node1", "k8s.images", """
                            unless: images=$(printf '%s\\n' registry.k8s.io/pause:3.10.2 \
                            registry.k8s.io/kube-proxy:v1.36.3) && for i in $images; do crictl --runtime-endpoint \
                            unix:///var/run/containerd/containerd.sock inspecti "$i" >/dev/null 2>&1 || exit 1; done
                            run: images=$(printf '%s\\n' registry.k8s.io/pause:3.10.2 \
                            registry.k8s.io/kube-proxy:v1.36.3) && printf '%s\\n' $images | xargs -r -n 1 -P 8 \
                            crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock pull
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
                        .script("cp2", "k8s.images", """
                            unless: images=$(kubeadm config images list --kubernetes-version v1.36.3 \
                            --image-repository registry.k8s.io --cri-socket unix:///var/run/cri-dockerd.sock) && for \
                            i in $images; do crictl --runtime-endpoint unix:///var/run/cri-dockerd.sock inspecti \
                            "$i" >/dev/null 2>&1 || exit 1; done
                            run: images=$(kubeadm config images list --kubernetes-version v1.36.3 --image-repository \
                            registry.k8s.io --cri-socket unix:///var/run/cri-dockerd.sock) && printf '%s\\n' $images \
                            | xargs -r -n 1 -P 8 crictl --runtime-endpoint unix:///var/run/cri-dockerd.sock pull
                            attempts: 3
                            timeout: 900s
                            """)
                        .script("node1", "k8s.images", """
                            unless: images=$(printf '%s\\n' registry.k8s.io/pause:3.10.2 \
                            registry.k8s.io/kube-proxy:v1.36.3) && for i in $images; do crictl --runtime-endpoint \
                            unix:///var/run/cri-dockerd.sock inspecti "$i" >/dev/null 2>&1 || exit 1; done
                            run: images=$(printf '%s\\n' registry.k8s.io/pause:3.10.2 \
                            registry.k8s.io/kube-proxy:v1.36.3) && printf '%s\\n' $images | xargs -r -n 1 -P 8 \
                            crictl --runtime-endpoint unix:///var/run/cri-dockerd.sock pull
                            attempts: 3
                            timeout: 900s
                            """),
                new Row("stacked, debian, v1.35 from the operator's registry", DEBIAN, cluster(STACKED, MIRROR_135))
                        .steps(List.of("cp1", "cp2", "cp3", "node1"), IMAGES)
                        .script("cp3", "k8s.images", """
                            unless: images=$(kubeadm config images list --kubernetes-version v1.35.2 \
                            --image-repository registry.example/k8s --cri-socket \
                            unix:///var/run/containerd/containerd.sock) && for i in $images; do crictl \
                            --runtime-endpoint unix:///var/run/containerd/containerd.sock inspecti "$i" >/dev/null \
                            2>&1 || exit 1; done
                            run: images=$(kubeadm config images list --kubernetes-version v1.35.2 --image-repository \
                            registry.example/k8s --cri-socket unix:///var/run/containerd/containerd.sock) && printf \
                            '%s\\n' $images | xargs -r -n 1 -P 8 crictl --runtime-endpoint \
                            unix:///var/run/containerd/containerd.sock pull
                            attempts: 3
                            timeout: 900s
                            """)
                        .script("node1", "k8s.images", """
                            unless: images=$(printf '%s\\n' registry.example/k8s/pause:3.10.1 \
                            registry.example/k8s/kube-proxy:v1.35.2) && for i in $images; do crictl \
                            --runtime-endpoint unix:///var/run/containerd/containerd.sock inspecti "$i" >/dev/null \
                            2>&1 || exit 1; done
                            run: images=$(printf '%s\\n' registry.example/k8s/pause:3.10.1 \
                            registry.example/k8s/kube-proxy:v1.35.2) && printf '%s\\n' $images | xargs -r -n 1 -P 8 \
                            crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock pull
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
