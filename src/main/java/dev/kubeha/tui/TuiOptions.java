package dev.kubeha.tui;

import java.nio.file.Path;
import java.util.Optional;

/** The command-line choices that start the wizard or line mode. */
public record TuiOptions(Optional<Path> answers, Optional<Path> answersOut, Optional<Path> stateDir, boolean plain,
                         boolean noProbe, Optional<Path> bundle) {
}
