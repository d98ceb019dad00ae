package dev.kubeha.facts;

import dev.kubeha.ssh.CommandOnlyHost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.LoadBalancerSpec;
import dev.kubeha.render.HaproxyConfig;
import dev.kubeha.render.OsPreparation;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.OutputLine;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real probe script with this machine's sh and checks what it reports against this machine. */
@Tag("tools")
class ProbeScriptLocalTest {
    @TempDir
    Path etcdData;

    @Test
    void theProbeReportsThisMachinesOwnFacts() throws Exception {
        Files.writeString(etcdData.resolve("member"), "x");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ClusterSpec spec = spec(listener.getLocalPort(), etcdData);
            HostSpec self = spec.hosts().get(0);
            ProbedHost p;
            try (LocalShellHost local = new LocalShellHost()) {
                p = FactsProbe.probe(local, spec, self, Clock.systemUTC());
            }
            HostFacts f = p.facts();
            assertEquals(read("/proc/sys/kernel/hostname"), f.hostname());
            assertEquals(read("/proc/sys/kernel/osrelease"), f.kernel());
            assertEquals(Integer.parseInt(run("nproc")), f.cpus());
            assertEquals(meminfoKb("MemTotal") / 1024, f.memoryMb());
            assertEquals(meminfoKb("SwapTotal") / 1024, f.swapMb());
            assertEquals(read("/etc/machine-id"), f.machineId());
            assertEquals(osRelease("ID"), f.osId());
            assertEquals(osRelease("VERSION_ID"), f.osVersion());
            assertEquals(Map.of("amd64", "amd64", "aarch64", "arm64").get(System.getProperty("os.arch")), f.arch());
            assertEquals(Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? 2 : 1, f.cgroupVersion());
            assertEquals(read("/proc/1/comm"), p.pid1());
            assertEquals(read("/proc/1/comm").equals("systemd"), p.systemdIsPid1());
            assertEquals(ipv4Addresses(), f.interfaces().stream().flatMap(i -> i.addresses().stream()
                    .filter(a -> !a.contains(":")).map(a -> i.name() + " " + a)).collect(Collectors.toSet()));
            assertTrue(p.vipOnInterface(), "the VIP 127.0.0.1 is on lo");
            assertEquals(expectedModules(), p.modules());
            assertEquals(expectedSysctls(), f.sysctls());
            assertEquals(Set.of("java"), p.listeners().get(listener.getLocalPort()),
                    "this JVM listens on the load balancer port: " + p.listeners());
            assertTrue(p.installed().etcdData());
            assertEquals(kubehaRendered(HaproxyConfig.PATH), p.installed().kubehaHaproxy());
            assertEquals(Files.exists(Path.of("/etc/kubernetes/admin.conf")),
                    p.installed().kubernetesFiles().contains("/etc/kubernetes/admin.conf"));
            if (p.container().isPresent()) {
                assertEquals("", f.productUuid());
            } else if (Files.isReadable(Path.of("/sys/class/dmi/id/product_uuid"))) {
                assertEquals(read("/sys/class/dmi/id/product_uuid").toLowerCase(Locale.ROOT),
                        f.productUuid());
            }
            assertTrue(p.clockOffset().abs().compareTo(p.clockUncertainty().plusMillis(10)) <= 0,
                    "the same clock: offset " + p.clockOffset() + " within " + p.clockUncertainty());
        }
    }

    @Test
    void withoutSsTheListenersComeFromProcNetTcp() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ClusterSpec spec = spec(listener.getLocalPort(), etcdData);
            Processes.Result r = Processes.run(Duration.ofSeconds(60),
                    List.of("sh", "-c", FactsProbe.script(spec, "listeners_from_proc")));
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("listen=" + listener.getLocalPort() + " java\n", r.stdout());
        }
    }

    @Test
    void theScriptIsPosixAndReadOnly() {
        Processes.Result syntax = Processes.run(Duration.ofSeconds(30),
                List.of("sh", "-n", "-c", FactsProbe.script(GuideSpecs.guide())));
        assertEquals(0, syntax.exitCode(), syntax.output());
        String script = FactsProbe.script(GuideSpecs.guide());
        for (String change : List.of("rm ", "mkdir", "modprobe", "sysctl -w", "tee ", "systemctl", "[[ ",
                "function ", "local ", "echo -e")) {
            assertFalse(script.contains(change), "the probe must stay read-only POSIX sh: " + change);
        }
        assertFalse(script.replaceAll("(2>&1|>/dev/null)", "").contains(">"),
                "the probe writes nowhere but its output and /dev/null");
    }

    private static ClusterSpec spec(int lbPort, Path etcdData) {
        ClusterSpec guide = GuideSpecs.guide();
        LoadBalancerSpec lb = guide.loadBalancer();
        EtcdSpec e = guide.etcd();
        ClusterSpec withEtcd = GuideSpecs.withEtcd(guide, new EtcdSpec(e.version(), etcdData.toString(),
                e.certDir(), e.keyAlgorithm(), e.certificateValidityDays(), e.install(), e.archive(),
                e.archiveSha256()));
        return new ClusterSpec(withEtcd.cluster(), withEtcd.ssh(), withEtcd.hosts(),
                new LoadBalancerSpec("127.0.0.1", lbPort, lb.networkInterface(), lb.virtualRouterId(), lb.vrrp()),
                withEtcd.network(), withEtcd.etcd(), withEtcd.containerRuntime(), withEtcd.addons());
    }

    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path), StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
    }

    private static String run(String... command) {
        Processes.Result r = Processes.run(Duration.ofSeconds(30), List.of(command));
        assertEquals(0, r.exitCode(), r.output());
        return r.stdout().strip();
    }

    private static long meminfoKb(String key) throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith(key + ":"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
    }

    private static String osRelease(String key) throws IOException {
        return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1).replace("\"", "")).findFirst().orElse("");
    }

    private static Set<String> ipv4Addresses() throws IOException {
        Set<String> out = new TreeSet<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                if (a.getAddress() instanceof Inet4Address) {
                    out.add(nic.getName() + " " + a.getAddress().getHostAddress() + "/" + a.getNetworkPrefixLength());
                }
            }
        }
        return out;
    }

    private static Set<String> expectedModules() {
        boolean modinfo = Processes.run(Duration.ofSeconds(30), List.of("sh", "-c",
                "PATH=$PATH:/usr/sbin:/sbin command -v modinfo")).exitCode() == 0;
        Set<String> builtIn = builtIntoTheKernel();
        return FactsProbe.MODULES.stream().filter(m -> Files.isDirectory(Path.of("/sys/module", m)) || modinfo
                && Processes.run(Duration.ofSeconds(30), List.of("sh", "-c", "PATH=$PATH:/usr/sbin:/sbin modinfo "
                + m)).exitCode() == 0 || builtIn.contains(m)).collect(Collectors.toSet());
    }

    /** An independent reading of /proc/config.gz: the modules compiled into this kernel (=y). */
    private static Set<String> builtIntoTheKernel() {
        Map<String, String> symbols = Map.of("overlay", "OVERLAY_FS", "br_netfilter", "BRIDGE_NETFILTER",
                "nf_tables", "NF_TABLES", "nf_conntrack", "NF_CONNTRACK", "nf_conntrack_ipv4", "NF_CONNTRACK_IPV4",
                "ip_vs", "IP_VS", "ip_vs_rr", "IP_VS_RR", "ip_vs_wrr", "IP_VS_WRR", "ip_vs_sh", "IP_VS_SH");
        Path config = Path.of("/proc/config.gz");
        if (!Files.isReadable(config)) {
            return Set.of();
        }
        try (var in = new GZIPInputStream(Files.newInputStream(config))) {
            Set<String> lines = Set.copyOf(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines().toList());
            return symbols.entrySet().stream().filter(e -> lines.contains("CONFIG_" + e.getValue() + "=y"))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> expectedSysctls() {
        return OsPreparation.OPTIONAL_SYSCTLS.keySet().stream().filter(k -> {
            Path p = Path.of("/proc/sys", k.replace('.', '/'));
            return Files.isRegularFile(p) && Files.isWritable(p);
        }).collect(Collectors.toSet());
    }

    private static boolean kubehaRendered(String path) throws IOException {
        Path p = Path.of(path);
        return Files.isReadable(p) && read(path).startsWith(FactsProbe.MARKER);
    }

    /** This machine as a RemoteHost: commands run with sh -c, stdin closed; no network involved. */
    private static final class LocalShellHost extends CommandOnlyHost {
        @Override
        public String where() {
            return "local sh";
        }

        @Override
        public ExecResult run(RemoteCommand command, Consumer<OutputLine> output) {
            long start = System.nanoTime();
            Processes.Result r = Processes.run(command.timeout(), List.of("sh", "-c", command.script()));
            r.stdout().lines().forEach(l -> output.accept(new OutputLine(OutputLine.Pipe.STDOUT, l)));
            r.stderr().lines().forEach(l -> output.accept(new OutputLine(OutputLine.Pipe.STDERR, l)));
            return new ExecResult(command.script(), r.exitCode(), r.stdout(), r.stderr(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
