package dev.kubeha.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.validate.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
                Problem.error("worker9", "line 3: no host named 'worker9' in the answers file; hosts: worker1, worker2,"
                        + " ceph1, ceph2, ceph3"),
                Problem.error("worker1.kernal", "line 2: unknown key; known keys: "
                        + String.join(", ", FactsFile.KEYS))), loaded.problems());
        assertTrue(loaded.hasErrors());
    }

    @Test
    void malformedYamlNamesTheLine() {
        FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", "worker1:\n  kernel: [\n", spec);
        assertTrue(loaded.problems().get(0).message().startsWith("malformed YAML at line"),
                loaded.problems().toString());
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
}
