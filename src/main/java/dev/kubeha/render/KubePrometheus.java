package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.KubernetesRelease;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How kube-prometheus is installed for the cluster's Kubernetes minor: the release and the ordered steps.
 *
 * @param release the kube-prometheus tag, e.g. v0.18.0
 * @param steps the commands, in order, run with the cluster's admin kubeconfig inside the unpacked archive
 */
public record KubePrometheus(String release, List<String> steps) {
    public KubePrometheus {
        steps = List.copyOf(steps);
    }

    public static KubePrometheus forSpec(ClusterSpec spec) {
        KubernetesRelease k8s = Topology.release(spec);
        String release = k8s.kubePrometheus().orElseThrow(() -> new RenderException(
                "addons.kubePrometheus: no kube-prometheus release supports Kubernetes " + k8s.minor()
                        + " yet; set addons.kubePrometheus: false"));
        return new KubePrometheus(release, List.of("kubectl apply --server-side -f manifests/setup",
                "kubectl wait --for condition=Established --all CustomResourceDefinition --namespace=monitoring"
                        + " --timeout=300s",
                "kubectl apply --server-side -f manifests/"));
    }

    /** controllerManager/scheduler settings that let Prometheus scrape them: bind-address 0.0.0.0, v1beta4 list form. */
    static Map<String, Object> bindAllAddresses() {
        Map<String, Object> arg = new LinkedHashMap<>();
        arg.put("name", "bind-address");
        arg.put("value", "0.0.0.0");
        return Map.of("extraArgs", List.of(arg));
    }
}
