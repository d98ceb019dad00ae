package dev.kubeha.tui;

import dev.kubeha.state.StateHome;
import dev.kubeha.tui.probe.LiveProbes;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;

/** What the wizard needs from outside: the date for end-of-life marks, colours, where to save, and the live checks (empty: off). */
public record WizardSettings(LocalDate today, Palette palette, StateHome stateHome, Optional<Path> answersOut,
                             Optional<LiveProbes> probe) {
    public static final String ANSWERS = "answers.yaml";

    /** The file "Save answers" writes: the chosen output, else answers.yaml in the cluster's state directory. */
    public Path saveTarget(String clusterName) {
        return answersOut.orElseGet(() -> stateHome.clusterDir(clusterName.strip()).resolve(ANSWERS));
    }
}
