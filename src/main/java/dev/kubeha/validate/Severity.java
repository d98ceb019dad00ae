package dev.kubeha.validate;

import java.util.Locale;

/** How serious a problem is: errors stop an install, warnings do not. */
public enum Severity {
    ERROR, WARNING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
