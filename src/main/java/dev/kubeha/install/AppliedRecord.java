package dev.kubeha.install;

import dev.kubeha.answers.AppliedTopologyFile;
import dev.kubeha.model.AppliedTopology;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.plan.EtcdVersionChange;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The applied-topology record in the state directory ({@code applied-topology.yaml}, 0600): written atomically after
 * a successful apply, read back as untrusted input to plan the next membership change.
 */
public final class AppliedRecord {
    public static final String FILE = "applied-topology.yaml";
    private static final int MAX_SIZE = 1 << 20;

    private AppliedRecord() {
    }

    public static Path path(StateDir state) {
        return state.root().resolve(FILE);
    }

    /** The recorded topology, empty when none was written yet; a record that fails its checks is a StateException. */
    public static Optional<AppliedTopology> read(StateDir state) {
        Path file = path(state);
        Optional<byte[]> bytes = state.readPrivate(file);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        if (bytes.get().length > MAX_SIZE) {
            throw new StateException(file + " is larger than 1 MiB; that is not a record kubeha wrote. Remove it"
                    + " (kubeha then knows of no removal) or restore it from a backup");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.get())).toString();
        } catch (CharacterCodingException e) {
            throw new StateException(file + " is not UTF-8 text; that is not a record kubeha wrote");
        }
        AppliedTopologyFile.Read read = AppliedTopologyFile.parse(file.toString(), text);
        if (!read.errors().isEmpty()) {
            throw new StateException(String.join("\n", read.errors()) + "\nthe applied-topology record is damaged:"
                    + " restore it, or remove it so kubeha knows of no removal");
        }
        return read.topology();
    }

    /** The change from the recorded topology to {@code desired}. */
    public static ClusterChange changeTo(StateDir state, ClusterSpec desired) {
        return ClusterChange.between(read(state), desired);
    }

    /** The external etcd members' version change from the recorded one to {@code desired}'s etcd.version. */
    public static Optional<EtcdVersionChange> etcdVersionChangeTo(StateDir state, ClusterSpec desired) {
        return EtcdVersionChange.recorded(read(state), desired);
    }

    /** After a reset: the hosts no longer run the recorded cluster, so no later apply may plan removals from it. */
    public static void forget(StateDir state) {
        try {
            Files.deleteIfExists(path(state));
        } catch (IOException e) {
            throw new StateException("cannot remove " + path(state) + ": " + e.getMessage(), e);
        }
    }

    public static void write(StateDir state, ClusterSpec applied) {
        write(state, AppliedTopology.of(applied));
    }

    /** After upgrade-etcd: an existing record names {@code version} as its external members' etcd version. */
    public static void etcdUpgraded(StateDir state, String version) {
        read(state).filter(t -> !t.stackedEtcd()).ifPresent(t -> write(state, new AppliedTopology(t.hosts(), t.vip(),
                false, t.etcdBackup(), version)));
    }

    private static void write(StateDir state, AppliedTopology topology) {
        state.ensure();
        state.writePrivate(path(state), AppliedTopologyFile.toYaml(topology).getBytes(StandardCharsets.UTF_8));
    }
}
