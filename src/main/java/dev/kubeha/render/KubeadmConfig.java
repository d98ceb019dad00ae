package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.Role;
import dev.kubeha.model.Version;
import dev.kubeha.state.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** kubeadm's init configuration for the first control plane and the join configurations for every other node. */
public final class KubeadmConfig {
    public static final String INIT = "/etc/kubernetes/kubeadm-config.yaml";
    public static final String JOIN = "/etc/kubernetes/kubeadm-join.yaml";
    public static final String SUPPORTED_API = "kubeadm.k8s.io/v1beta4";
    public static final String KUBE_PROXY_API = "kubeproxy.config.k8s.io/v1alpha1";
    public static final String KUBELET_API = "kubelet.config.k8s.io/v1beta1";
    public static final String TOKEN_TTL = "2h0m0s";

    private KubeadmConfig() {
    }

    /**
     * The init file on the first control plane, and a join file on every other control plane and worker.
     *
     * @param caCertHash the discovery pin of kubeha's cluster CA, "sha256:…"
     */
    public static List<RenderedFile> render(ClusterSpec spec, Secrets secrets, String caCertHash) {
        KubernetesRelease release = Topology.release(spec);
        if (!release.kubeadmApiVersion().equals(SUPPORTED_API)) {
            throw new RenderException("cluster.kubernetesVersion: kubeha writes " + SUPPORTED_API + " only, but "
                    + release.minor() + " uses " + release.kubeadmApiVersion());
        }
        HostSpec first = Topology.firstControlPlane(spec);
        List<RenderedFile> out = new ArrayList<>();
        out.add(RenderedFile.text(first.name(), INIT, 0600, init(spec, release, first, secrets)));
        for (HostSpec host : spec.hosts()) {
            if (host != first && Topology.isKubernetesNode(host)) {
                out.add(RenderedFile.text(host.name(), JOIN, 0600, join(spec, release, host, secrets, caCertHash)));
            }
        }
        return out;
    }

    static String init(ClusterSpec spec, KubernetesRelease release, HostSpec first, Secrets secrets) {
        Map<String, Object> init = document(release.kubeadmApiVersion(), "InitConfiguration");
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("token", secrets.bootstrapToken());
        token.put("ttl", TOKEN_TTL);
        token.put("usages", List.of("signing", "authentication"));
        token.put("groups", List.of("system:bootstrappers:kubeadm:default-node-token"));
        init.put("bootstrapTokens", List.of(token));
        init.put("nodeRegistration", nodeRegistration(spec, first));
        init.put("localAPIEndpoint", apiEndpoint(first));
        init.put("certificateKey", secrets.certificateKey());

        Map<String, Object> cluster = document(release.kubeadmApiVersion(), "ClusterConfiguration");
        cluster.put("clusterName", spec.cluster().name());
        cluster.put("kubernetesVersion", "v" + Version.of(spec.cluster().kubernetesVersion()));
        cluster.put("imageRepository", spec.cluster().imageRepository());
        cluster.put("controlPlaneEndpoint", Topology.controlPlaneEndpoint(spec));
        cluster.put("etcd", etcd(spec));
        Map<String, Object> networking = new LinkedHashMap<>();
        networking.put("podSubnet", spec.network().podSubnet());
        networking.put("serviceSubnet", spec.network().serviceSubnet());
        networking.put("dnsDomain", spec.network().dnsDomain());
        cluster.put("networking", networking);
        if (!spec.loadBalancer().vip().isEmpty()) {
            cluster.put("apiServer", Map.of("certSANs", List.of(spec.loadBalancer().vip())));
        }
        if (spec.addons().kubePrometheus()) {
            cluster.put("controllerManager", KubePrometheus.bindAllAddresses());
            cluster.put("scheduler", KubePrometheus.bindAllAddresses());
        }

        Map<String, Object> proxy = document(KUBE_PROXY_API, "KubeProxyConfiguration");
        proxy.put("mode", spec.network().proxyMode().yamlName());
        Map<String, Object> kubelet = document(KUBELET_API, "KubeletConfiguration");
        kubelet.put("cgroupDriver", "systemd");
        return "# Rendered by kubeha: kubeadm init --config " + INIT + " --upload-certs on " + first.name() + ".\n"
                + "# Holds the bootstrap token and the certificate key: keep it 0600.\n"
                + dump(init) + "---\n" + dump(cluster) + "---\n" + dump(proxy) + "---\n" + dump(kubelet);
    }

    static String join(ClusterSpec spec, KubernetesRelease release, HostSpec host, Secrets secrets,
                       String caCertHash) {
        Map<String, Object> join = document(release.kubeadmApiVersion(), "JoinConfiguration");
        join.put("nodeRegistration", nodeRegistration(spec, host));
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("apiServerEndpoint", Topology.controlPlaneEndpoint(spec));
        token.put("token", secrets.bootstrapToken());
        token.put("caCertHashes", List.of(caCertHash));
        join.put("discovery", Map.of("bootstrapToken", token));
        if (host.has(Role.CONTROL_PLANE)) {
            Map<String, Object> controlPlane = new LinkedHashMap<>();
            controlPlane.put("localAPIEndpoint", apiEndpoint(host));
            controlPlane.put("certificateKey", secrets.certificateKey());
            join.put("controlPlane", controlPlane);
        }
        return "# Rendered by kubeha: kubeadm join --config " + JOIN + " on " + host.name() + ".\n"
                + "# caCertHashes pins kubeha's cluster CA; holds the bootstrap token: keep it 0600.\n" + dump(join);
    }

    private static Map<String, Object> nodeRegistration(ClusterSpec spec, HostSpec host) {
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("name", host.name());
        registration.put("criSocket", spec.containerRuntime().criSocket());
        boolean noWorkers = spec.hostsWith(Role.WORKER).isEmpty();
        if (host.has(Role.CONTROL_PLANE) && (noWorkers || host.has(Role.WORKER))) {
            registration.put("taints", List.of());
        }
        return registration;
    }

    private static Map<String, Object> apiEndpoint(HostSpec host) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("advertiseAddress", host.address());
        endpoint.put("bindPort", Topology.APISERVER_PORT);
        return endpoint;
    }

    private static Map<String, Object> etcd(ClusterSpec spec) {
        if (spec.stackedEtcd()) {
            return Map.of("local", Map.of("dataDir", spec.etcd().dataDir()));
        }
        Map<String, Object> external = new LinkedHashMap<>();
        external.put("endpoints", EtcdUnit.clientUrls(spec));
        external.put("caFile", EtcdFiles.CONTROL_PLANE_CA);
        external.put("certFile", EtcdFiles.APISERVER_CLIENT_CERT);
        external.put("keyFile", EtcdFiles.APISERVER_CLIENT_KEY);
        return Map.of("external", external);
    }

    private static Map<String, Object> document(String apiVersion, String kind) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", apiVersion);
        doc.put("kind", kind);
        return doc;
    }

    private static String dump(Map<String, Object> document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setWidth(200);
        options.setSplitLines(false);
        return new Yaml(options).dump(document);
    }
}
