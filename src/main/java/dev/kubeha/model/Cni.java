package dev.kubeha.model;

/** The pod network plugin kubeha installs; NONE leaves it to the operator. */
public enum Cni implements Choice {
    FLANNEL("flannel"), NONE("none");

    private final String yamlName;

    Cni(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
