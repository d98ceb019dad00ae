package dev.kubeha.exec;

import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/** What an operator (or a bug report) needs after a failed step: the step, its output, facts, the unit's journal. */
public final class SupportBundle {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final Map<String, String> UNITS = Map.of("lb.haproxy", "haproxy", "lb.keepalived", "keepalived",
            "etcd.", "etcd", "vip.", "keepalived", "k8s.", "kubelet", "runtime.", "containerd");

    private SupportBundle() {
    }

    /** The systemd unit a step is about, if any: its journal goes into the bundle. */
    static Optional<String> unitOf(String stepId) {
        return UNITS.entrySet().stream().filter(e -> stepId.equals(e.getKey()) || e.getKey().endsWith(".")
                && stepId.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst();
    }

    /**
     * Writes the bundle directory and returns it; remote parts that cannot be read are noted, not fatal.
     *
     * @param failure the failure line as the run reported it
     * @param hostLog the host's log file (commands and output)
     * @param facts the host's facts as text
     */
    public static Path write(Path supportDir, Instant at, String host, String stepId, String failure, Path hostLog,
                             String facts, Optional<RemoteHost> remote, Redactor redactor) throws IOException {
        Path dir = supportDir.resolve(STAMP.format(at) + "-" + host + "-" + stepId);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("failure.txt"), redactor.apply(failure) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("facts.txt"), redactor.apply(facts), StandardCharsets.UTF_8);
        if (Files.exists(hostLog)) {
            Files.copy(hostLog, dir.resolve("host.log"));
        }
        Optional<String> unit = unitOf(stepId);
        if (remote.isPresent() && unit.isPresent()) {
            String text;
            try {
                ExecResult r = remote.get().run(RemoteCommand.probe("systemctl status --no-pager " + unit.get()
                        + " 2>&1; journalctl --no-pager -n 300 -u " + unit.get() + " 2>&1", Duration.ofSeconds(30)),
                        l -> { });
                text = r.stdout() + r.stderr();
            } catch (SshException e) {
                text = "could not read the journal: " + e.getMessage() + "\n";
            }
            Files.writeString(dir.resolve("journal-" + unit.get() + ".txt"), redactor.apply(text),
                    StandardCharsets.UTF_8);
        }
        return dir;
    }
}
