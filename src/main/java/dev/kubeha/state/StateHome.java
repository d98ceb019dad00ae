package dev.kubeha.state;

import dev.kubeha.model.ClusterInfo;
import dev.kubeha.validate.Names;
import java.nio.file.Path;
import java.util.Map;

/** Where kubeha keeps per-cluster state: {@code --state-dir}, else $KUBEHA_STATE_HOME, else ~/.kubeha; one directory per cluster. */
public record StateHome(Path root) {
    public static final String ENV = "KUBEHA_STATE_HOME";
    public static final String AUTOSAVE = "answers.autosave.yaml";

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

    /** Creates the state root 0700 if it is missing and checks it: a real directory of the user, not writable by others. */
    public Path ensure() {
        return ensure(root, StrictModes.forThisProcess());
    }

    static Path ensure(Path stateRoot, StrictModes strict) {
        strict.ownDirectory(stateRoot, StrictModes.GROUP_OR_OTHERS_WRITE, "state root");
        strict.parents(stateRoot, "state root");
        return stateRoot;
    }
}
