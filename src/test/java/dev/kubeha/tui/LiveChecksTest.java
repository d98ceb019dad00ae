package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Role;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.tui.probe.ProbeReport.FactsOutput;
import dev.kubeha.tui.probe.ProbeReport.Outcome;
import dev.kubeha.tui.probe.ProbeReport;
import dev.kubeha.tui.probe.ProbeStatus;
import dev.kubeha.tui.probe.ProbeTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A row's live check read from a probe's report with the current answers, through FactsProbe.parse and Preflight. */
class LiveChecksTest {
    private static final Instant BEFORE = Instant.ofEpochSecond(1_786_000_003L);

    private static String rocky8() throws IOException {
        try (InputStream in = LiveChecksTest.class.getResourceAsStream("/dev/kubeha/facts/probe-rocky8.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ClusterSpec spec(Role... roles) {
        Draft draft = Draft.defaults();
        Draft.HostDraft h = new Draft.HostDraft();
        h.name = "ceph1";
        h.address = "172.21.16.14";
        for (Role role : roles) {
            h.toggle(role);
        }
        draft.hosts.add(h);
        return draft.toSpec();
    }

    private static LiveChecks.Input input(ClusterSpec spec, ProbeStatus<ProbeReport> status) {
        return new LiveChecks.Input(Optional.of(ProbeTarget.of(spec.hosts().get(0), spec, Path.of("/state"),
                Path.of("/home"))), Optional.of(status));
    }

    private static LiveChecks.Row probed(String stdout, Role... roles) {
        ClusterSpec spec = spec(roles);
        ProbeReport report = new ProbeReport(Outcome.PROBED, Duration.ofMillis(3), "SSH-2.0-OpenSSH_8.0", "",
                Optional.empty(), Optional.of(new FactsOutput(stdout, "", BEFORE, BEFORE.plusMillis(500))));
        return LiveChecks.of(spec, List.of(input(spec, new ProbeStatus.Done<>(report))), true).row(0);
    }

    private static LiveChecks.Row failed(ProbeReport report) {
        ClusterSpec spec = spec(Role.CONTROL_PLANE);
        return LiveChecks.of(spec, List.of(input(spec, new ProbeStatus.Done<>(report))), true).row(0);
    }

    @Test
    void aProbedHostShowsItsFactsAndPreflightsVerdicts() throws IOException {
        LiveChecks.Row row = probed(rocky8(), Role.CONTROL_PLANE);
        assertEquals("ok 3ms", row.reach());
        assertEquals("ok", row.ssh());
        assertEquals("Rocky Linux 8.10", row.os());
        assertEquals("4.18.0-553.el8_10.x86_64", row.kernel());
        assertEquals("nf_conntrack (modinfo)", row.conntrack(), "found by modinfo, though 4.18 predates the merge");
        assertEquals("2", row.cpus());
        assertEquals("3770M", row.memory());
        assertEquals(LiveChecks.Tone.BAD, row.tone());
        assertTrue(row.preflight().startsWith(Layout.ERROR), row.preflight());
        String details = String.join("\n", row.details());
        assertTrue(details.contains("Rocky Linux 8.10 (supported) · kernel 4.18.0-553.el8_10.x86_64"), details);
        assertTrue(details.contains("✗ cgroup: cgroup v1 with Kubernetes"), details);
        assertTrue(details.contains("✗ ports: in use: 2379 (etcd), 2380 (etcd), 10250 (kubelet)"), details);
        assertTrue(details.contains("! existing-install: etcd data, /etc/kubernetes/kubelet.conf found"), details);
    }

    @Test
    void cpusAndMemoryAreJudgedAgainstKubeadmsMinimumsForTheRowsRoles() throws IOException {
        String small = rocky8().replace("mem.kb=3861300", "mem.kb=1000000").replace("cpus=2", "cpus=1");
        LiveChecks.Row controlPlane = probed(small, Role.CONTROL_PLANE);
        assertEquals(Layout.ERROR + "1", controlPlane.cpus());
        assertEquals(Layout.ERROR + "976M", controlPlane.memory());
        assertTrue(controlPlane.details().contains("✗ memory: 976 MB; a control plane needs at least 1700 MB"
                + " (kubeadm's Mem check)"), controlPlane.details().toString());
        LiveChecks.Row worker = probed(small, Role.WORKER);
        assertEquals("1", worker.cpus());
        assertEquals("976M", worker.memory());
    }

    @Test
    void theConntrackVerdictComesFromTheModulesTheProbeFound() throws IOException {
        String legacy = rocky8().replace("module=nf_conntrack modinfo", "module=nf_conntrack_ipv4 sysfs");
        assertEquals("nf_conntrack_ipv4 (loaded)", probed(legacy, Role.WORKER).conntrack());
        String neither = rocky8().replace("module=nf_conntrack modinfo\n", "");
        LiveChecks.Row row = probed(neither, Role.WORKER);
        assertEquals(Layout.ERROR + "no nf_conntrack or nf_conntrack_ipv4 module", row.conntrack());
        assertTrue(String.join("\n", row.details()).contains("✗ modules: kernel module nf_conntrack_ipv4 is missing"),
                row.details().toString());
        String ubuntu = rocky8().replace("os.id=rocky", "os.id=fedora").replace("os.like=rhel centos fedora",
                "os.like=");
        assertEquals(Layout.ERROR + "fedora 8.10", probed(ubuntu, Role.WORKER).os());
    }

    @Test
    void aFailedCheckShowsThePreciseErrorAndTheFingerprintInFull() {
        var key = new HostKeyPolicy.UnknownKey("127.0.0.1", 2222, "ssh-ed25519",
                "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
        ProbeReport unknown = new ProbeReport(Outcome.HOST_KEY_UNKNOWN, Duration.ofMillis(1), "SSH-2.0-x",
                "host key unknown: ssh-ed25519 " + key.fingerprint(), Optional.of(key), Optional.empty());
        LiveChecks.Row row = failed(unknown);
        assertEquals("ok 1ms", row.reach());
        assertEquals("key unknown", row.ssh());
        assertEquals(LiveChecks.Tone.BAD, row.tone());
        assertTrue(row.details().get(0).contains("host key unknown: ssh-ed25519 " + key.fingerprint()
                + " (F6, or t on the table: check and trust it)"), row.details().get(0));
        LiveChecks.Row timeout = failed(ProbeReport.failed(Outcome.TIMEOUT, "timeout: no answer within 3s on port 22"));
        assertEquals("timeout", timeout.reach());
        assertEquals("-", timeout.ssh());
        assertEquals("timeout: no answer within 3s on port 22", timeout.compact());
        LiveChecks.Row auth = failed(new ProbeReport(Outcome.AUTH_FAILED, Duration.ofMillis(2), "SSH-2.0-x",
                "auth failed: for user root (tried: password; server allows: publickey)", Optional.empty(),
                Optional.empty()));
        assertEquals("auth failed", auth.ssh());
        assertTrue(auth.details().get(0).endsWith("auth failed: for user root (tried: password; server allows:"
                + " publickey)"), auth.details().get(0));
    }

    @Test
    void aRunningCheckSaysWhichStepItIsAtAndAnUnprobedRowSaysWhy() {
        ClusterSpec spec = spec(Role.WORKER);
        LiveChecks.Row row = LiveChecks.of(spec, List.of(input(spec, new ProbeStatus.Pending<>("logging in"))),
                true).row(0);
        assertEquals("checking: logging in", row.compact());
        assertEquals(LiveChecks.Tone.PENDING, row.tone());
        var none = new LiveChecks.Input(Optional.empty(), Optional.empty());
        assertEquals("-", LiveChecks.of(spec, List.of(none), true).row(0).compact());
        assertEquals("off", LiveChecks.of(spec, List.of(none), false).row(0).compact());
    }

    @Test
    void anOutputTheParserRejectsIsShownAsSuch() {
        LiveChecks.Row row = probed("os.id=debian\n", Role.WORKER);
        assertEquals(LiveChecks.Tone.BAD, row.tone());
        assertTrue(row.compact().startsWith("facts: ceph1: the facts probe did not run to its end"), row.compact());
    }
}
