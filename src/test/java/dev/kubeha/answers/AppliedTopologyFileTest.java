package dev.kubeha.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.AppliedTopology;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.testing.GuideSpecs;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppliedTopologyFileTest {
    private static final String HEAD = "apiVersion: kubeha/v1\nkind: AppliedTopology\netcd: external\n"
            + "loadBalancer:\n  vip: 10.0.8.100\nhosts:\n";

    @Test
    void aRecordReadsBackEqual() {
        AppliedTopology guide = AppliedTopology.of(GuideSpecs.guide());
        AppliedTopologyFile.Read read = AppliedTopologyFile.parse("r", AppliedTopologyFile.toYaml(guide));
        assertEquals(List.of(), read.errors());
        assertEquals(Optional.of(guide), read.topology());
    }

    @Test
    void theExternalMembersEtcdVersionIsRecordedAndCheckedWhenReadBack() {
        AppliedTopology guide = AppliedTopology.of(GuideSpecs.guide());
        String yaml = AppliedTopologyFile.toYaml(guide);
        assertTrue(yaml.contains("\netcdVersion: \"3.5.24\"\n") || yaml.contains("\netcdVersion: 3.5.24\n"), yaml);
        assertEquals("3.5.24", AppliedTopologyFile.parse("r", yaml).topology().orElseThrow().etcdVersion());
        String older = yaml.replaceFirst("(?m)^etcdVersion: .*\n", "");
        assertEquals("", AppliedTopologyFile.parse("r", older).topology().orElseThrow().etcdVersion());
        AppliedTopologyFile.Read bad = AppliedTopologyFile.parse("/s/r.yaml", yaml.replaceFirst("(?m)^etcdVersion: .*$",
                "etcdVersion: \"3.5; reboot\""));
        assertEquals(Optional.empty(), bad.topology());
        assertEquals(List.of("/s/r.yaml:7: etcdVersion: '3.5; reboot' is not a version such as 3.6.5"),
                bad.errors());
    }

    @Test
    void hostileNamesAndValuesAreQuotedAndReadBackAsText() {
        AppliedTopology t = new AppliedTopology(List.of(new HostSpec("cp1", "10.0.8.6",
                Set.of(Role.CONTROL_PLANE, Role.LOAD_BALANCER), 22, "yes", null)), "10.0.8.100", true, false);
        String yaml = AppliedTopologyFile.toYaml(t);
        assertTrue(yaml.contains("user: \"yes\""), yaml);
        assertEquals(Optional.of(t), AppliedTopologyFile.parse("r", yaml).topology());
    }

    @Test
    void everyProblemNamesFileLineAndField() {
        String text = HEAD
                + "  - {name: cp1, address: 10.0.8.6, roles: [control-plane, load-balancer], port: 22, user: root}\n"
                + "  - {name: \"x;rm -rf /\", address: 10.0.8.7, roles: [worker], port: 22, user: root}\n"
                + "  - {name: w2, address: 127.0.0.1, roles: [worker], port: 70000, user: \"$(id)\"}\n"
                + "  - {name: w3, address: 10.0.8.9, roles: [king], port: 22, user: root}\n"
                + "  - {name: w4, address: 10.0.8.10, roles: [worker]}\n";
        AppliedTopologyFile.Read read = AppliedTopologyFile.parse("/s/applied-topology.yaml", text);
        assertEquals(Optional.empty(), read.topology());
        assertEquals(List.of(
                "/s/applied-topology.yaml:10: hosts[3].roles[0]: unknown role 'king'; known roles: control-plane,"
                        + " worker, etcd, load-balancer",
                "/s/applied-topology.yaml:11: hosts[4]: the record names every host's SSH port and user",
                "/s/applied-topology.yaml:8: hosts[1].name: 'x;rm -rf /' is not a valid host name (RFC 1123:"
                        + " lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)",
                "/s/applied-topology.yaml:9: hosts[2].address: 127.0.0.1 cannot be a node address (loopback,"
                        + " wildcard or multicast)"), read.errors().subList(0, 4));
        assertTrue(read.errors().contains("/s/applied-topology.yaml:9: hosts[2].port: 70000 is not a TCP port"
                + " (1-65535)"), read.errors().toString());
        assertTrue(read.errors().contains("/s/applied-topology.yaml:9: hosts[2].user: '$(id)' is not a valid user"
                + " name"), read.errors().toString());
    }

    @Test
    void aFileThatIsNoRecordIsRefused() {
        assertEquals(List.of("f:1: kind: this is not a kubeha kubeha/v1 AppliedTopology record",
                        "f:1: etcd: '' is neither stacked nor external"),
                AppliedTopologyFile.parse("f", "apiVersion: kubeha/v1\ncluster: {}\n").errors().stream()
                        .filter(e -> !e.contains("unknown key")).toList());
        assertEquals(List.of("f: the record is empty"), AppliedTopologyFile.parse("f", "").errors());
        assertEquals(List.of("f: malformed YAML at line 2, column 2: mapping values are not allowed here"),
                AppliedTopologyFile.parse("f", " a\nb: [").errors().stream().limit(1).toList());
    }

    @Test
    void anUnknownKeyAndASecretAreRefused() {
        List<String> errors = AppliedTopologyFile.parse("f", HEAD.replace("etcd: external", "etcd: external\n"
                + "password: x")).errors();
        assertTrue(errors.getFirst().startsWith("f:4: password: secrets are never kept"), errors.toString());
    }

    @Test
    void theSnapshotTimerIsRecordedAndARecordWrittenBeforeItReadsAsWithoutOne() {
        AppliedTopology withBackup = AppliedTopology.of(GuideSpecs.withBackup("*-*-* 03:00:00", 5));
        assertTrue(withBackup.etcdBackup());
        String yaml = AppliedTopologyFile.toYaml(withBackup);
        assertTrue(yaml.contains("\netcdBackup: true\n"), yaml);
        assertEquals(Optional.of(withBackup), AppliedTopologyFile.parse("r", yaml).topology());
        String older = yaml.replace("etcdBackup: true\n", "");
        assertEquals(Optional.of(false), AppliedTopologyFile.parse("r", older).topology()
                .map(AppliedTopology::etcdBackup));
        assertEquals(List.of("r:6: etcdBackup: 'yes please' is not true or false"),
                AppliedTopologyFile.parse("r", yaml.replace("etcdBackup: true", "etcdBackup: yes please")).errors());
        assertEquals(List.of("r:6: etcdBackup: etcd.backup's snapshot timer runs on external etcd members only"),
                AppliedTopologyFile.parse("r", yaml.replace("etcd: external", "etcd: stacked")).errors());
    }
}
