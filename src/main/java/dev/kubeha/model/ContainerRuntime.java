package dev.kubeha.model;

/** The CRI runtime on every Kubernetes node; DOCKER means Docker Engine with cri-dockerd. */
public enum ContainerRuntime implements Choice {
    CONTAINERD("containerd", "unix:///var/run/containerd/containerd.sock"),
    DOCKER("docker", "unix:///var/run/cri-dockerd.sock");

    private final String yamlName;
    private final String criSocket;

    ContainerRuntime(String yamlName, String criSocket) {
        this.yamlName = yamlName;
        this.criSocket = criSocket;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }

    public String criSocket() {
        return criSocket;
    }
}
