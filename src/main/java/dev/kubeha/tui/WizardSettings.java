package dev.kubeha.tui;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.state.StateHome;
import dev.kubeha.tui.probe.LiveProbes;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;

/**
 * What the wizard needs from outside: the date for end-of-life marks, colours, where to save, the live checks (empty:
 * off) and the verified offline bundle Install takes everything from (empty: the network).
 */
public record WizardSettings(LocalDate today, Palette palette, StateHome stateHome, Optional<Path> answersOut,
                             Optional<LiveProbes> probe, Optional<WizardBundle> bundle) {
    public static final String ANSWERS = "answers.yaml";

    public WizardSettings(LocalDate today, Palette palette, StateHome stateHome, Optional<Path> answersOut,
                          Optional<LiveProbes> probe) {
        this(today, palette, stateHome, answersOut, probe, Optional.empty());
    }

    /** The file "Save answers" writes: the chosen output, else answers.yaml in the cluster's state directory. */
    public Path saveTarget(String clusterName) {
        return answersOut.orElseGet(() -> stateHome.clusterDir(clusterName.strip()).resolve(ANSWERS));
    }

    /** A bundle given with --bundle: the file the operator named and its verified, unpacked contents. */
    public record WizardBundle(Path file, Bundle opened) {
    }
}
