package dev.kubeha.model;

/** Optional components installed after the cluster is up. */
public record AddonsSpec(boolean kubePrometheus) {
    public static final AddonsSpec DEFAULTS = new AddonsSpec(true);
}
