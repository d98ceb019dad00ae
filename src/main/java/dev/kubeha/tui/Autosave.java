package dev.kubeha.tui;

import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateException;
import dev.kubeha.state.StateHome;
import dev.kubeha.answers.AnswersFile;
import java.io.IOException;
import java.nio.file.Path;

/** Saves a draft atomically into the cluster's state directory, or to a path the operator chose. */
public final class Autosave {
    private final StateHome home;

    public Autosave(StateHome home) {
        this.home = home;
    }

    public Path autosave(Draft draft) throws IOException {
        Path file = home.autosave(draft.clusterName.strip());
        try {
            StateDir.at(file.getParent()).ensure();
        } catch (StateException e) {
            throw new IOException(e.getMessage(), e);
        }
        AnswersFile.save(file, draft.toSpec());
        return file;
    }

    public static Path saveAs(Path file, Draft draft) throws IOException {
        AnswersFile.save(file, draft.toSpec());
        return file.toAbsolutePath();
    }
}
