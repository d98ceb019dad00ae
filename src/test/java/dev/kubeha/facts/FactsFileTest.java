package dev.kubeha.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class FactsFileTest {
    private final ClusterSpec spec = AnswersFile.load(Path.of("assets/examples/guide.yaml")).spec().orElseThrow();

    @Test
    void defaultsAreAssumedDebian13() {
        HostFacts f = FactsFile.defaults(spec).facts().get("worker1");
        assertTrue(f.assumed());
        assertEquals(List.of(new NetInterface("eth0", List.of("10.0.8.6/24"))), f.interfaces());
        assertEquals(Optional.of(FactsDefaults.CONTAINERD_VERSION), f.containerdVersion());
        assertEquals("nf_conntrack", f.conntrackModule());
        assertEquals(2, f.cgroupVersion());
        assertFalse(f.sysctls().contains("fs.may_detach_mounts"));
        assertEquals(FactsFile.KEYS, FactsFile.defaults(spec).defaulted().get("ceph3"));
    }

    @Test
    void partialOverridesKeepTheOtherDefaults() {
        FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", """
                worker2:
                  kernel: 4.18.0-553.el8_10.x86_64
                  osId: rocky
                  interfaces:
                    - {name: ens192, addresses: [10.0.8.12/22]}
                """, spec);
        assertEquals(List.of(), loaded.problems());
        HostFacts f = loaded.facts().get("worker2");
        assertEquals(OsFamily.RHEL, f.osFamily());
        assertEquals("nf_conntrack_ipv4", f.conntrackModule(), "kernel rule without a modinfo probe");
        assertEquals("ens192", f.interfaces().get(0).name());
        assertEquals(Optional.of(FactsDefaults.CONTAINERD_VERSION), f.containerdVersion());
        assertTrue(f.assumed());
        assertFalse(loaded.defaulted().get("worker2").contains("kernel"));
        assertTrue(loaded.defaulted().get("worker2").contains("containerdVersion"));
    }

    @Test
    void unknownHostsAndKeysAreErrorsWithTheirLine() {
        FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", """
                worker1:
                  kernal: 6.1.0
                worker9:
                  kernel: 6.1.0
                """, spec);
        assertEquals(List.of(
                Problem.error("worker9", "no host named 'worker9' in the answers file; hosts: worker1, worker2,"
                        + " ceph1, ceph2, ceph3"),
                Problem.error("worker1.kernal", "unknown key; did you mean kernel?")), loaded.problems());
        assertEquals(3, loaded.sourceMap().lineOf("worker9").getAsInt());
        assertEquals(2, loaded.sourceMap().lineOf("worker1.kernal").getAsInt());
        assertTrue(loaded.hasErrors());
    }

    @Test
    void badValuesAreErrorsAtTheirPathAndLine() {
        FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", """
                worker1:
                  cgroupVersion: 3
                  kernel: [6.1.0]
                  interfaces:
                    - {addresses: [10.0.8.5/24]}
                    - {name: eth1, addresses: [{ip: 10.0.9.5}]}
                  sysctls: vm.panic_on_oom
                  token: abc
                worker2:
                  osId: rocky
                  osId: debian
                ceph1: [kernel]
                """, spec);
        assertEquals(List.of(
                Problem.error("worker1.token", "unknown key; known keys: " + String.join(", ", FactsFile.KEYS)),
                Problem.error("worker1.kernel", "must be a single value, not a list or mapping"),
                Problem.error("worker1.cgroupVersion", "must be 1 or 2"),
                Problem.error("worker1.interfaces[0].name", "is required"),
                Problem.error("worker1.interfaces[1].addresses[0]", "must be a single value, not a list or mapping"),
                Problem.error("worker1.sysctls", "must be a list"),
                new Problem(Severity.ERROR, "worker2.osId", "duplicate key (first at line 10)", 11),
                Problem.error("ceph1", "must be a mapping of " + String.join(", ", FactsFile.KEYS))),
                loaded.problems());
        assertEquals(8, line(loaded, "worker1.token"));
        assertEquals(3, line(loaded, "worker1.kernel"));
        assertEquals(2, line(loaded, "worker1.cgroupVersion"));
        assertEquals(5, line(loaded, "worker1.interfaces[0].name"));
        assertEquals(6, line(loaded, "worker1.interfaces[1].addresses[0]"));
        assertEquals(7, line(loaded, "worker1.sysctls"));
        assertEquals(11, loaded.sourceMap().lineOf(loaded.problems().get(6)).getAsInt(), "the duplicate's line");
        assertEquals(12, line(loaded, "ceph1"));
        assertEquals("rocky", loaded.facts().get("worker2").osId(), "the first of a duplicate key counts");
        assertEquals(List.of(new NetInterface("eth1", List.of())), loaded.facts().get("worker1").interfaces());
    }

    private static int line(FactsFile.Loaded loaded, String path) {
        return loaded.sourceMap().lineOf(path).getAsInt();
    }

    @Test
    void malformedYamlNamesTheLineAndColumn() {
        FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", "worker1:\n  kernel: [\n", spec);
        assertEquals(List.of(Problem.error("", "malformed YAML at line 3, column 1: expected the node content,"
                + " but found '<stream end>'")), loaded.problems());
        assertEquals(Map.of(), loaded.facts());
    }

    @Test
    void emptyFileAndEmptyHostKeepTheDefaults() {
        for (String text : List.of("", "# nothing yet\n", "worker1:\n")) {
            FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", text, spec);
            assertEquals(List.of(), loaded.problems(), text);
            assertEquals(FactsFile.defaults(spec).facts(), loaded.facts(), text);
        }
    }

    @Test
    void conntrackRule() {
        assertEquals("nf_conntrack_ipv4", ConntrackModule.choose(Optional.empty(), "3.10.0-1160.el7.x86_64"));
        assertEquals("nf_conntrack_ipv4", ConntrackModule.choose(Optional.empty(), "4.18.0-553.el8_10.x86_64"));
        assertEquals("nf_conntrack", ConntrackModule.choose(Optional.empty(), "4.19.0"));
        assertEquals("nf_conntrack", ConntrackModule.choose(Optional.empty(), "6.12.43+deb13-amd64"));
        assertEquals("nf_conntrack", ConntrackModule.choose(Optional.of("nf_conntrack"), "4.18.0-553.el8_10.x86_64"),
                "the modinfo probe wins: RHEL 8.3+ kernels have no nf_conntrack_ipv4");
    }

    @Test
    void aDeviceOrAFifoOrAHugeFileIsRefusedWithoutReadingIt(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path fifo = dir.resolve("facts.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        for (Path input : List.of(Path.of("/dev/zero"), fifo)) {
            FactsFile.Loaded loaded = Assertions.assertTimeoutPreemptively(
                    Duration.ofSeconds(10), () -> FactsFile.load(input, spec));
            assertTrue(loaded.hasErrors());
            assertTrue(loaded.problems().get(0).text().contains("not a regular file"), loaded.problems().toString());
        }
        Path big = Files.writeString(dir.resolve("big.yaml"), "# " + "x".repeat(1 << 20) + "\n");
        FactsFile.Loaded loaded = FactsFile.load(big, spec);
        assertTrue(loaded.problems().get(0).text().contains("larger than 1 MiB"), loaded.problems().toString());
    }

    @Test
    void hostileFactsAreRefusedNamingTheField() {
        FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", """
                worker1:
                  kernel: "6.1.0\\nkernel.core_pattern = |/bin/sh"
                  osId: "debian x"
                  osVersion: "13;reboot"
                  arch: "amd64$(id)"
                  containerdVersion: "2.1.4 #"
                  conntrackModule: "nf_conntrack\\nevil"
                  interfaces: [{name: "eth0\\n}\\nvrrp_script x {"}, {name: eth0, addresses: ["10.0.8.6/22 x"]}]
                  sysctls: ["vm.panic_on_oom\\nkernel.x"]
                """, spec);
        assertEquals(List.of("worker1.osId", "worker1.kernel", "worker1.osVersion", "worker1.arch",
                "worker1.containerdVersion", "worker1.conntrackModule", "worker1.interfaces[0].name",
                "worker1.interfaces[1].addresses[0]", "worker1.sysctls[0]"),
                loaded.problems().stream().map(Problem::path).toList(), loaded.problems().toString());
        assertTrue(loaded.hasErrors());
    }

    @Test
    void probedLookingFactsStillLoad() {
        FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", """
                worker1:
                  kernel: 4.18.0-553.el8_10.x86_64
                  osId: rocky
                  osVersion: "8.10"
                  arch: x86_64
                  containerdVersion: 1.7.27
                  conntrackModule: nf_conntrack_ipv4
                  interfaces: [{name: ens192, addresses: [10.0.8.6/22, "fe80::1/64"]}, {name: "br0.100@eth0"}]
                  sysctls: [vm.panic_on_oom, net.ipv4.netfilter.ip_conntrack_max]
                """, spec);
        assertEquals(List.of(), loaded.problems());
    }
}
