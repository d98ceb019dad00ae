package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import java.util.regex.Pattern;

/**
 * What a restore is planned from.
 *
 * @param spec the cluster
 * @param snapshot the snapshot's bytes, checked against {@code sha256} before planning
 * @param sha256 the snapshot's recorded SHA-256 (64 lower-case hex digits)
 * @param revision the revision etcdutl reported for the snapshot
 * @param runId names this restore's directories on the members ({@code DATA.restore-RUN}, {@code DATA.before-restore-RUN})
 */
public record RestoreInput(ClusterSpec spec, byte[] snapshot, String sha256, long revision, String runId) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern RUN_ID = Pattern.compile("[0-9A-Za-z-]{1,40}");

    public RestoreInput {
        if (!HEX.matcher(sha256).matches() || revision < 1 || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("a restore needs a SHA-256, a positive revision and a plain run id");
        }
    }

    /** Where the member's old data directory is kept. */
    public String keptAside() {
        return spec.etcd().dataDir() + ".before-restore-" + runId;
    }

    String restoredInto() {
        return spec.etcd().dataDir() + ".restore-" + runId;
    }
}
