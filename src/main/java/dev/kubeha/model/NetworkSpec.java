package dev.kubeha.model;

/** Cluster networking: CIDRs, DNS domain, kube-proxy mode and the CNI; flannelManifest is a local file for offline installs. */
public record NetworkSpec(String podSubnet, String serviceSubnet, String dnsDomain, ProxyMode proxyMode, Cni cni,
                          FlannelBackend flannelBackend, String flannelManifest) {
    public static final NetworkSpec DEFAULTS = new NetworkSpec("10.244.0.0/16", "10.96.0.0/12", "cluster.local",
            ProxyMode.IPTABLES, Cni.FLANNEL, FlannelBackend.VXLAN, "");
}
