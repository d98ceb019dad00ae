package dev.kubeha.tui;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the install screen shows when the run is over, supplied by whoever starts the engine.
 *
 * @param endpoint the API server behind the VIP, such as {@code 192.168.10.100:16443}
 * @param usage lines that tell how to use the kubeconfig, such as {@code export KUBECONFIG=...}
 * @param answers the answers file that replays this install
 * @param work what runs on the panes, such as {@code install} or {@code upgrade}, for "The upgrade stopped"
 * @param done what the cluster is when the run ends well, such as {@code is installed}
 */
public record InstallSummary(String cluster, String endpoint, Optional<Path> kubeconfig, List<String> usage,
                             Path answers, String work, String done) {
    public InstallSummary {
        usage = List.copyOf(usage);
    }

    /** The summary of an install. */
    public InstallSummary(String cluster, String endpoint, Optional<Path> kubeconfig, List<String> usage,
                          Path answers) {
        this(cluster, endpoint, kubeconfig, usage, answers, "install", "is installed");
    }
}
