package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;

/** One group of checks over a cluster spec. */
public interface Rule {
    void check(ClusterSpec spec, Problems out);
}
