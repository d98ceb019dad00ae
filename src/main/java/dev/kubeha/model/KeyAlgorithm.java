package dev.kubeha.model;

/** Key type of the certificates kubeha issues. */
public enum KeyAlgorithm implements Choice {
    ECDSA_P256("ecdsa-p256"), RSA_2048("rsa-2048");

    private final String yamlName;

    KeyAlgorithm(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
