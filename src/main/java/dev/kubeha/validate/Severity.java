package dev.kubeha.validate;

/** How serious a problem is: errors stop an install, warnings do not. */
public enum Severity {
    ERROR, WARNING;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
