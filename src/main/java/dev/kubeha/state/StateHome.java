package dev.kubeha.state;

import dev.kubeha.model.ClusterInfo;
import dev.kubeha.validate.Names;
import java.nio.file.Path;
import java.util.Map;

/** Where kubeha keeps per-cluster state: {@code --state-dir}, else $KUBEHA_STATE_HOME, else ~/.kubeha; one directory per cluster. */
public record StateHome(Path root) {
    public static final String ENV = "KUBEHA_STATE_HOME";
    public static final String AUTOSAVE = "answers.autosave.yaml";
    public static final String LOG = "kubeha.log";
    public static final String LINE_MODE_HISTORY = "line-mode.history";
    public static final String CRASH_REPORTS = "crash";

    public static StateHome resolve(Path option, Map<String, String> env) {
        if (option != null) {
            return new StateHome(option.toAbsolutePath());
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new StateHome(Path.of(fromEnv).toAbsolutePath());
        }
        return new StateHome(Path.of(System.getProperty("user.home"), ".kubeha"));
    }

    /** The cluster's directory; a name that is not a valid cluster name falls back to the default name. */
    public Path clusterDir(String clusterName) {
        return root.resolve(Names.isLabel(clusterName) ? clusterName : ClusterInfo.DEFAULTS.name());
    }

    public Path autosave(String clusterName) {
        return clusterDir(clusterName).resolve(AUTOSAVE);
    }

    /** kubeha's own log (tinylog's file), kept in the state root. */
    public Path log() {
        return root.resolve(LOG);
    }

    /**
     * Creates the state root 0700 if it is missing and checks it (a real directory of the user, not writable by
     * others, with safe parents), and makes the log a private file before anything is written to it.
     */
    public Path ensure() {
        return ensure(root, StrictModes.forThisProcess());
    }

    /** A file of the state root, such as the line-mode history, created 0600 before anything is written to it. */
    public Path privateFile(String name) {
        StrictModes strict = StrictModes.forThisProcess();
        return strict.ownPrivateFile(ensure(root, strict).resolve(name), "state file");
    }

    /** A directory of the state root, such as the crash reports, created 0700 and checked like the state directory. */
    public Path privateDirectory(String name) {
        StrictModes strict = StrictModes.forThisProcess();
        return strict.ownDirectory(ensure(root, strict).resolve(name), StrictModes.GROUP_OR_OTHERS_ANY,
                "state directory");
    }

    static Path ensure(Path stateRoot, StrictModes strict) {
        strict.ownDirectory(stateRoot, StrictModes.GROUP_OR_OTHERS_WRITE, "state root");
        strict.parents(stateRoot, "state root");
        strict.ownPrivateFile(stateRoot.resolve(LOG), "kubeha's log");
        return stateRoot;
    }
}
