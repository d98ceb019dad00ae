package dev.kubeha.model;

/** How keepalived peers reach each other: unicast (works in clouds) or multicast. */
public enum VrrpMode implements Choice {
    UNICAST("unicast"), MULTICAST("multicast");

    private final String yamlName;

    VrrpMode(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
