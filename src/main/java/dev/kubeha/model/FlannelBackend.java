package dev.kubeha.model;

/** flannel's backend type, as written into net-conf.json. */
public enum FlannelBackend implements Choice {
    VXLAN("vxlan"), HOST_GW("host-gw"), WIREGUARD("wireguard");

    private final String yamlName;

    FlannelBackend(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
