package dev.kubeha.model;

import java.util.Arrays;
import java.util.Optional;

/** A job a host does in the cluster. */
public enum Role {
    CONTROL_PLANE("control-plane"),
    WORKER("worker"),
    ETCD("etcd"),
    LOAD_BALANCER("load-balancer");

    private final String yamlName;

    Role(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<Role> fromYaml(String name) {
        return Arrays.stream(values()).filter(r -> r.yamlName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
