package dev.kubeha.model;

/** An enumerated answer that has a spelling in the answers file. */
public interface Choice {
    String yamlName();
}
