package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Json;
import dev.kubeha.plan.EtcdCtl;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import dev.kubeha.state.StateDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** etcd snapshots on the jump host: fetched after a backup with their SHA-256 and status, checked before a restore. */
public final class EtcdSnapshots {
    /** A snapshot file's record, kept beside it as {@code FILE.json}. */
    public record Record(String cluster, String member, String takenAt, String sha256, long size, long revision,
                         long totalKey, long totalSize, String version) {
        public String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", cluster);
            m.put("member", member);
            m.put("takenAt", takenAt);
            m.put("sha256", sha256);
            m.put("size", size);
            m.put("revision", revision);
            m.put("totalKey", totalKey);
            m.put("totalSize", totalSize);
            m.put("version", version);
            return Json.write(m) + "\n";
        }

        static Record parse(String json, Path file) {
            return new Record(text(json, "cluster", file), text(json, "member", file), text(json, "takenAt", file),
                    text(json, "sha256", file), number(json, "size", file), number(json, "revision", file),
                    number(json, "totalKey", file), number(json, "totalSize", file), optionalText(json, "version"));
        }
    }

    /** A snapshot whose size and SHA-256 match its record. */
    public record Checked(Path file, byte[] content, Record record) {
    }

    /** A snapshot or record that cannot be used: the message names the file and what is wrong. */
    public static final class SnapshotException extends RuntimeException {
        public SnapshotException(String message) {
            super(message);
        }
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private EtcdSnapshots() {
    }

    /** The default place of a new snapshot: STATE/backups/CLUSTER-etcd-YYYYMMDD-HHMMSS.db. */
    public static Path defaultTarget(StateDir state, ClusterSpec spec, Clock clock) {
        return state.subdir("backups").resolve(spec.cluster().name() + "-etcd-" + STAMP.format(clock.instant())
                + ".db");
    }

    public static Path recordOf(Path snapshot) {
        return snapshot.resolveSibling(snapshot.getFileName() + ".json");
    }

    /**
     * Copies the snapshot the backup workflow left on {@code member} to {@code target} (0600) with its record, then
     * removes it from the member.
     */
    public static Record fetch(RemoteHost member, ClusterSpec spec, HostSpec memberSpec, Path target, StateDir state,
                               Clock clock) throws SshException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new SnapshotException(target + " exists already: name a new file");
        }
        Record record = copy(member, spec, memberSpec, EtcdCtl.BACKUP_FILE, EtcdCtl.BACKUP_STATUS, target, state, clock);
        member.run(RemoteCommand.change("rm -f " + EtcdCtl.BACKUP_FILE + " " + EtcdCtl.BACKUP_STATUS,
                Duration.ofSeconds(30)), line -> { });
        return record;
    }

    /**
     * Copies a snapshot a workflow keeps on {@code member} (the one taken before an upgrade, its status in
     * {@code FILE.status.json}) to STATE/backups/ under the same name, 0600 with its record, unless it is there
     * already; the member keeps its copy. Returns the copy on the jump host.
     */
    public static Path keepCopy(RemoteHost member, ClusterSpec spec, HostSpec memberSpec, String remoteFile,
                                StateDir state, Clock clock) throws SshException {
        Path target = state.subdir("backups").resolve(Path.of(remoteFile).getFileName().toString());
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) || !Files.exists(recordOf(target))) {
            copy(member, spec, memberSpec, remoteFile, remoteFile + ".status.json", target, state, clock);
        }
        return target;
    }

    private static Record copy(RemoteHost member, ClusterSpec spec, HostSpec memberSpec, String remoteFile,
                               String remoteStatus, Path target, StateDir state, Clock clock) throws SshException {
        byte[] snapshot = member.read(remoteFile).orElseThrow(() -> new SnapshotException(
                memberSpec.name() + ": no snapshot at " + remoteFile));
        String status = new String(member.read(remoteStatus).orElseThrow(() -> new SnapshotException(
                memberSpec.name() + ": no snapshot status at " + remoteStatus)), StandardCharsets.UTF_8);
        Path statusFile = Path.of(memberSpec.name() + ":" + remoteStatus);
        Record record = new Record(spec.cluster().name(), memberSpec.name(), clock.instant().toString(),
                RenderedFile.sha256(snapshot), snapshot.length, number(status, "revision", statusFile),
                number(status, "totalKey", statusFile), number(status, "totalSize", statusFile),
                optionalText(status, "version"));
        state.writePrivate(target, snapshot);
        state.writePrivate(recordOf(target), record.json().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Reads a snapshot and its record and checks its size and SHA-256 against the record. */
    public static Checked check(Path snapshot, ClusterSpec spec) {
        Path recordFile = recordOf(snapshot);
        byte[] content;
        String json;
        try {
            content = Files.readAllBytes(snapshot);
        } catch (IOException e) {
            throw new SnapshotException("cannot read the snapshot " + snapshot + ": " + e.getMessage());
        }
        try {
            json = Files.readString(recordFile);
        } catch (IOException e) {
            throw new SnapshotException("cannot read the snapshot's record " + recordFile + " (kubeha backup writes"
                    + " it beside the snapshot): " + e.getMessage());
        }
        Record record = Record.parse(json, recordFile);
        if (!record.cluster().equals(spec.cluster().name())) {
            throw new SnapshotException(recordFile + ": the snapshot is of cluster '" + record.cluster()
                    + "', not '" + spec.cluster().name() + "'");
        }
        if (content.length != record.size() || !RenderedFile.sha256(content).equals(record.sha256())) {
            throw new SnapshotException(snapshot + " does not match its record " + recordFile + ": size "
                    + content.length + " (recorded " + record.size() + "), SHA-256 " + RenderedFile.sha256(content)
                    + " (recorded " + record.sha256() + ")");
        }
        if (record.revision() < 1) {
            throw new SnapshotException(recordFile + ": revision must be positive, not " + record.revision());
        }
        return new Checked(snapshot, content, record);
    }

    /** The text field, or empty when absent (etcdutl 3.6 reports the storage version; 3.5 does not). */
    private static String optionalText(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"\\\\]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    private static String text(String json, String key, Path file) {
        String value = optionalText(json, key);
        if (value.isEmpty()) {
            throw new SnapshotException(file + ": no text field '" + key + "'");
        }
        return value;
    }

    private static long number(String json, String key, Path file) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?[0-9]{1,18})\\b").matcher(json);
        if (!m.find()) {
            throw new SnapshotException(file + ": no number field '" + key + "'");
        }
        return Long.parseLong(m.group(1));
    }
}
