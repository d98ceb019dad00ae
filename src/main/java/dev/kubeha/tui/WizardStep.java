package dev.kubeha.tui;

import java.util.Set;
import java.util.function.Supplier;

/** One step of the wizard: its tab and title, the field-path prefixes it owns, and its screen, built when first used. */
final class WizardStep {
    private final String tab;
    private final String title;
    private final Set<String> prefixes;
    private final Supplier<Screen> build;
    private Screen screen;

    WizardStep(String tab, String title, Set<String> prefixes, Supplier<Screen> build) {
        this.tab = tab;
        this.title = title;
        this.prefixes = prefixes;
        this.build = build;
    }

    String tab() {
        return tab;
    }

    String title() {
        return title;
    }

    boolean owns(String path) {
        return prefixes.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + ".") || path.startsWith(p + "["));
    }

    Screen screen() {
        if (screen == null) {
            screen = build.get();
        }
        return screen;
    }

    boolean built() {
        return screen != null;
    }
}
