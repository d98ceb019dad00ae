package dev.kubeha.facts;

import dev.kubeha.ssh.CommandOnlyHost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.OutputLine;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FactsProbeTest {
    private static final Instant BEFORE = Instant.ofEpochSecond(1_786_000_000L);
    private final ClusterSpec spec = GuideSpecs.guide();

    private HostSpec host(String name) {
        return spec.hosts().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    static String fixture(String name) {
        try (InputStream in = FactsProbeTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProbedHost parse(String host, String fixture, Instant before, Instant after) throws FactsException {
        return FactsProbe.parse(spec, host(host), fixture(fixture), "", before, after);
    }

    @Test
    void debian13InNspawnUsesSysfsModulesAndIgnoresTheMachinesProductUuid() throws FactsException {
        ProbedHost p = parse("worker1", "probe-debian13-nspawn.txt", BEFORE, BEFORE.plusMillis(400));
        HostFacts f = p.facts();
        assertEquals(OsFamily.DEBIAN, f.osFamily());
        assertEquals("debian", f.osId());
        assertEquals("13", f.osVersion());
        assertEquals("6.12.48+deb13-amd64", f.kernel());
        assertEquals("amd64", f.arch());
        assertEquals(4, f.cpus());
        assertEquals(15997, f.memoryMb());
        assertEquals(0, f.swapMb());
        assertEquals(2, f.cgroupVersion());
        assertEquals("worker1", f.hostname());
        assertEquals("5b0a3e9f0c5d4d7f9b6f0e2a51c8d3e1", f.machineId());
        assertEquals("", f.productUuid(), "a container sees its machine's product_uuid, not its own");
        assertEquals(Optional.of("systemd-nspawn"), p.container());
        assertEquals(List.of(new NetInterface("lo", List.of("127.0.0.1/8", "::1/128")),
                new NetInterface("host0", List.of("10.0.8.6/22", "fe80::a8c1:5fff:fe2e:7b41/64"))), f.interfaces());
        assertEquals(Optional.of("1.7.24"), f.containerdVersion());
        assertEquals(ConntrackModule.MERGED, f.conntrackModule());
        assertEquals(Set.of(), f.sysctls(), "nspawn mounts /proc/sys read-only");
        assertTrue(p.modules().containsAll(List.of("overlay", "br_netfilter", "ip_vs", "nf_conntrack", "nf_tables")));
        assertFalse(p.modules().contains("nf_conntrack_ipv4"));
        assertTrue(p.systemdIsPid1());
        assertEquals(Map.of(), p.listeners());
        assertFalse(p.vipOnInterface());
        assertFalse(f.assumed());
        assertEquals(new ProbedHost.Installed(false, List.of(), Optional.empty(), false, false, false), p.installed());
    }

    @Test
    void clockOffsetSubtractsTheTimeTheScriptRanFromTheRoundTrip() throws FactsException {
        ProbedHost p = parse("worker1", "probe-debian13-nspawn.txt", BEFORE, BEFORE.plusMillis(400));
        assertEquals(Duration.ofMillis(200), p.clockOffset());
        assertEquals(Duration.ofMillis(150), p.clockUncertainty());
    }

    @Test
    void rocky8With418KernelGetsNfConntrackFromModinfoNotTheKernelRule() throws FactsException {
        ProbedHost p = parse("ceph1", "probe-rocky8.txt", Instant.ofEpochSecond(1_786_000_010L),
                Instant.ofEpochSecond(1_786_000_011L));
        HostFacts f = p.facts();
        assertEquals(ConntrackModule.LEGACY_IPV4, ConntrackModule.forKernel(f.kernel()));
        assertEquals(ConntrackModule.MERGED, f.conntrackModule());
        assertEquals(OsFamily.RHEL, f.osFamily());
        assertEquals("rocky", f.osId());
        assertEquals("8.10", f.osVersion());
        assertEquals(1, f.cgroupVersion());
        assertEquals(2047, f.swapMb());
        assertEquals(3770, f.memoryMb());
        assertEquals("564d8a1c-7e2b-4f3d-9a6c-1b2d3e4f5a6b", f.productUuid());
        assertEquals(Optional.empty(), p.container());
        assertEquals(Optional.of("1.7.27"), f.containerdVersion());
        assertEquals(Set.of("vm.panic_on_oom", "fs.inotify.max_user_watches", "fs.inotify.max_user_instances"),
                f.sysctls());
        assertEquals(Map.of(10250, Set.of("kubelet"), 2379, Set.of("etcd"), 2380, Set.of("etcd")), p.listeners());
        assertEquals(new ProbedHost.Installed(true, List.of("/etc/kubernetes/kubelet.conf"), Optional.of("1.29.4"),
                false, false, false), p.installed());
        assertEquals(Duration.ofMillis(-7135), p.clockOffset(), "3.120 - (10.000 + (1.000 - 0.490) / 2)");
        assertEquals(Duration.ofMillis(255), p.clockUncertainty());
    }

    @Test
    void ubuntu2404OnArmHoldingTheVipWithKubehasLoadBalancer() throws FactsException {
        ProbedHost p = parse("worker2", "probe-ubuntu2404.txt", BEFORE, BEFORE.plusMillis(100));
        HostFacts f = p.facts();
        assertEquals(OsFamily.DEBIAN, f.osFamily());
        assertEquals("arm64", f.arch());
        assertEquals(Optional.empty(), f.containerdVersion());
        assertTrue(p.vipOnInterface());
        assertEquals(Map.of(16443, Set.of("haproxy")), p.listeners());
        assertTrue(p.installed().kubehaHaproxy());
        assertTrue(p.installed().kubehaKeepalived());
        assertFalse(p.installed().kubehaEtcdUnit());
        assertEquals("ec2a7b1d-3c4e-4f50-8a61-7b2c3d4e5f60", f.productUuid());
    }

    @Test
    void theKernelRuleDecidesOnlyWhenNoConntrackModuleWasFound() throws FactsException {
        String out = fixture("probe-debian13-nspawn.txt").replace("module=nf_conntrack sysfs\n", "")
                .replace("kernel=6.12.48+deb13-amd64", "kernel=4.14.336");
        ProbedHost p = FactsProbe.parse(spec, host("worker1"), out, "", BEFORE, BEFORE.plusMillis(400));
        assertEquals(ConntrackModule.LEGACY_IPV4, p.facts().conntrackModule());
        String legacy = out.replace("module=nf_tables sysfs\n", "module=nf_conntrack_ipv4 sysfs\n")
                .replace("kernel=4.14.336", "kernel=6.1.0");
        assertEquals(ConntrackModule.LEGACY_IPV4, FactsProbe.parse(spec, host("worker1"), legacy, "", BEFORE,
                BEFORE.plusMillis(400)).facts().conntrackModule());
    }

    @Test
    void aProbeCutShortFailsWithItsErrorOutput() {
        String cut = fixture("probe-rocky8.txt").replace("probe.end=1\n", "");
        FactsException e = assertThrows(FactsException.class, () -> FactsProbe.parse(spec, host("ceph1"), cut,
                "line 1\nsh: 212: Syntax error: end of file unexpected\n", BEFORE, BEFORE));
        assertEquals("ceph1: the facts probe did not run to its end: line 1 | sh: 212: Syntax error: end of file "
                + "unexpected", e.getMessage());
    }

    @Test
    void missingKeysAreNamed() {
        String out = "clock.start=1786000000.1\nos.id=debian\nhostname=x\ncgroup.fs=cgroup2fs\nprobe.end=1\n";
        FactsException e = assertThrows(FactsException.class,
                () -> FactsProbe.parse(spec, host("ceph1"), out, "", BEFORE, BEFORE));
        assertEquals("ceph1: the facts probe found no kernel, machine, cpus, mem.kb", e.getMessage());
    }

    @Test
    void anOsOfNeitherFamilyIsRefused() {
        String out = fixture("probe-ubuntu2404.txt").replace("os.id=ubuntu", "os.id=opensuse-leap")
                .replace("os.like=debian", "os.like=suse opensuse").replace("pkg=dpkg", "pkg=rpm\npkg=dpkg");
        FactsException e = assertThrows(FactsException.class,
                () -> FactsProbe.parse(spec, host("worker2"), out, "", BEFORE, BEFORE));
        assertEquals("worker2: 'opensuse-leap' is neither a Debian- nor a RHEL-family system (os-release ID_LIKE "
                + "'suse opensuse', package managers: rpm, dpkg)", e.getMessage());
    }

    @Test
    void anUnknownCgroupFilesystemIsRefused() {
        String out = fixture("probe-ubuntu2404.txt").replace("cgroup.fs=cgroup2fs", "cgroup.fs=sysfs");
        FactsException e = assertThrows(FactsException.class,
                () -> FactsProbe.parse(spec, host("worker2"), out, "", BEFORE, BEFORE));
        assertTrue(e.getMessage().startsWith("worker2: /sys/fs/cgroup is a 'sysfs' filesystem"), e.getMessage());
    }

    @Test
    void versionWordsAndClockReadings() {
        assertEquals(Optional.of("2.1.4"), FactsProbe.versionWord(
                "containerd github.com/containerd/containerd/v2 v2.1.4 75cb2b7193e4e490e9fbdc236c0e811ccaba3376"));
        assertEquals(Optional.of("1.7.24"), FactsProbe.versionWord(
                "containerd github.com/containerd/containerd 1.7.24~ds1 1.7.24~ds1-6+b4"));
        assertEquals(Optional.of("1.36.3"), FactsProbe.versionWord("Kubernetes v1.36.3"));
        assertEquals(Optional.empty(), FactsProbe.versionWord("containerd: command not found"));
        assertEquals(Optional.of(Instant.ofEpochSecond(1_786_000_000L, 5_000_000)),
                FactsProbe.instant("1786000000.005000000"));
        assertEquals(Optional.of(Instant.ofEpochSecond(1_786_000_000L)), FactsProbe.instant("1786000000.N"));
        assertEquals(Optional.empty(), FactsProbe.instant("N"));
        assertEquals("amd64", FactsProbe.arch("x86_64"));
        assertEquals("arm64", FactsProbe.arch("aarch64"));
        assertEquals("riscv64", FactsProbe.arch("riscv64"));
    }

    @Test
    void theScriptCarriesTheClustersParametersAndOneEntryPoint() {
        String script = FactsProbe.script(spec);
        assertTrue(script.startsWith("KUBEHA_PORTS='6443 2379 2380 10250 10257 10259 16443'\n"), script);
        assertTrue(script.contains("\nKUBEHA_ETCD_DATA=/data/etcd\n"));
        assertTrue(script.contains("\nKUBEHA_SYSCTLS='vm.panic_on_oom fs.inotify.max_user_watches "
                + "fs.inotify.max_user_instances fs.may_detach_mounts net.ipv4.netfilter.ip_conntrack_max'\n"));
        assertTrue(script.contains("\nKUBEHA_MARKER='# Rendered by kubeha'\n"));
        assertTrue(script.endsWith("\nprobe_host\n"));
    }

    @Test
    void probeRunsTheScriptOnceAndTimesItWithTheJumpHostsClock() throws FactsException {
        ScriptedHost remote = new ScriptedHost(new ExecResult("", 0, fixture("probe-debian13-nspawn.txt"), "",
                Duration.ofMillis(400)));
        Clock clock = new StepClock(BEFORE, BEFORE.plusMillis(400));
        ProbedHost p = FactsProbe.probe(remote, spec, host("worker1"), clock);
        assertEquals(Duration.ofMillis(200), p.clockOffset());
        assertEquals(1, remote.commands.size());
        RemoteCommand command = remote.commands.get(0);
        assertTrue(command.idempotent());
        assertEquals(FactsProbe.script(spec), command.script());
    }

    @Test
    void aFailedProbeNamesTheHostExitCodeAndError() {
        ScriptedHost remote = new ScriptedHost(new ExecResult("", 127, "", "sh: 1: sh: not found\n",
                Duration.ofMillis(5)));
        FactsException e = assertThrows(FactsException.class, () -> FactsProbe.probe(remote, spec, host("ceph2"),
                new StepClock(BEFORE, BEFORE)));
        assertEquals("ceph2: the facts probe exited with 127: sh: 1: sh: not found", e.getMessage());
    }

    /** A host that answers every command with one canned result. */
    private static final class ScriptedHost extends CommandOnlyHost {
        final List<RemoteCommand> commands = new ArrayList<>();
        private final ExecResult result;

        ScriptedHost(ExecResult result) {
            this.result = result;
        }

        @Override
        public String where() {
            return "root@scripted:22";
        }

        @Override
        public ExecResult run(RemoteCommand command, Consumer<OutputLine> output) {
            commands.add(command);
            return result;
        }
    }

    /** A clock that returns the given instants in turn. */
    private static final class StepClock extends Clock {
        private final Deque<Instant> instants;

        StepClock(Instant... instants) {
            this.instants = new ArrayDeque<>(List.of(instants));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return instants.removeFirst();
        }
    }
}
