package dev.kubeha.progress;

/** Where one host stands in a run. */
public enum HostState {
    WAITING("waiting"), RUNNING("running"), RETRYING("retrying"), FAILED("failed"), DONE("done"),
    STOPPED("stopped");

    private final String label;

    HostState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
