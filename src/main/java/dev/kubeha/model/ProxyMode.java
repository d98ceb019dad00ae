package dev.kubeha.model;

/** kube-proxy's data-plane mode. */
public enum ProxyMode implements Choice {
    IPVS("ipvs"), IPTABLES("iptables"), NFTABLES("nftables");

    private final String yamlName;

    ProxyMode(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
