package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EtcdUnitTest {
    static final Pattern ADDRESS = Pattern.compile("https://(\\[[0-9a-f:]+\\]|[0-9.]+):\\d+");

    @Test
    void guideTopologyMatchesTheGoldenUnit() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        for (HostSpec member : spec.hostsWith(Role.ETCD)) {
            RenderedFile unit = EtcdUnit.render(spec, member, EtcdUnit.DEFAULT_BINARY);
            assertEquals("/etc/systemd/system/etcd.service", unit.path());
            assertEquals(0644, unit.mode());
            assertEquals("root", unit.owner());
            assertEquals(golden(member.name() + "-etcd.service"), unit.text(), member.name());
        }
    }

    @Test
    void everyUrlButTheInitialClusterNamesTheMembersOwnAddress() {
        ClusterSpec spec = GuideSpecs.guide();
        for (HostSpec member : spec.hostsWith(Role.ETCD)) {
            List<String> flags = execStart(EtcdUnit.render(spec, member, EtcdUnit.DEFAULT_BINARY).text());
            for (String flag : flags) {
                if (flag.startsWith("--initial-cluster=")) {
                    continue;
                }
                Matcher m = ADDRESS.matcher(flag);
                while (m.find()) {
                    assertTrue(Set.of(member.address(), "127.0.0.1").contains(m.group(1)), flag);
                }
            }
            assertTrue(flags.contains("--name=" + member.name()));
            assertTrue(flags.contains("--initial-advertise-peer-urls=https://" + member.address() + ":2380"));
            assertTrue(flags.contains("--listen-peer-urls=https://" + member.address() + ":2380"));
            assertTrue(flags.contains("--advertise-client-urls=https://" + member.address() + ":2379"));
            assertTrue(flags.contains("--listen-client-urls=https://" + member.address() + ":2379,https://127.0.0.1:2379"));
            assertTrue(flags.contains("--initial-cluster=ceph1=https://172.21.16.14:2380,"
                    + "ceph2=https://172.21.16.6:2380,ceph3=https://172.21.16.13:2380"));
        }
    }

    @Test
    void mutualTlsOnBothPortsAndNeverAutoTls() {
        ClusterSpec spec = GuideSpecs.guide();
        List<String> flags = execStart(EtcdUnit.render(spec, spec.hostsWith(Role.ETCD).get(0),
                EtcdUnit.DEFAULT_BINARY).text());
        assertEquals("/usr/local/bin/etcd", flags.get(0), "documented default: the release archive's binary");
        for (String expected : List.of("--client-cert-auth=true", "--peer-client-cert-auth=true",
                "--peer-cert-allowed-cn=etcd-peer", "--trusted-ca-file=/data/etcd/ssl/ca.pem", "--peer-trusted-ca-file=/data/etcd/ssl/ca.pem",
                "--cert-file=/data/etcd/ssl/server.pem", "--key-file=/data/etcd/ssl/server-key.pem",
                "--peer-cert-file=/data/etcd/ssl/peer.pem", "--peer-key-file=/data/etcd/ssl/peer-key.pem",
                "--initial-cluster-state=new", "--initial-cluster-token=kubernetes-etcd", "--data-dir=/data/etcd",
                "--snapshot-count=50000", "--auto-compaction-retention=1", "--max-request-bytes=10485760",
                "--quota-backend-bytes=8589934592")) {
            assertTrue(flags.contains(expected), expected);
        }
        assertFalse(flags.stream().anyMatch(f -> f.contains("auto-tls")));
        assertFalse(flags.stream().anyMatch(f -> f.startsWith("http://") || f.contains("=http://")));
    }

    @Test
    void serviceRunsAsTheEtcdUserAndRestartsAlways() {
        ClusterSpec spec = GuideSpecs.guide();
        String unit = EtcdUnit.render(spec, spec.hostsWith(Role.ETCD).get(0), "/opt/etcd/bin/etcd").text();
        for (String line : List.of("Type=notify", "User=etcd", "Group=etcd", "Restart=always", "RestartSec=10s",
                "LimitNOFILE=65536", "Wants=network-online.target", "After=network-online.target",
                "ExecStart=/opt/etcd/bin/etcd \\", "WantedBy=multi-user.target")) {
            assertTrue(unit.lines().anyMatch(line::equals), line);
        }
    }

    @Test
    void ipv6MembersAreBracketedInUrls() {
        ClusterSpec spec = GuideSpecs.withAddress(GuideSpecs.guide(), "ceph1", "fd00::14");
        List<String> flags = execStart(EtcdUnit.render(spec, spec.hostsWith(Role.ETCD).get(0),
                EtcdUnit.DEFAULT_BINARY).text());
        assertTrue(flags.contains("--initial-advertise-peer-urls=https://[fd00::14]:2380"), flags.toString());
        assertEquals(List.of("https://[fd00::14]:2379", "https://172.21.16.6:2379", "https://172.21.16.13:2379"),
                EtcdUnit.clientUrls(spec));
    }

    @Test
    void loopbackMembersDoNotAlsoClaimTheSharedLoopbackPort() {
        HostSpec local = new HostSpec("e1", "127.0.0.11", Set.of(Role.ETCD));
        assertEquals(List.of("https://127.0.0.11:2379"), EtcdUnit.listenClientUrls(local));
    }

    @Test
    void onlyEtcdMembersHaveAUnit() {
        ClusterSpec spec = GuideSpecs.guide();
        assertThrows(IllegalArgumentException.class,
                () -> EtcdUnit.render(spec, spec.hosts().get(0), EtcdUnit.DEFAULT_BINARY));
        assertEquals(List.of("ceph1", "ceph2", "ceph3"),
                EtcdUnit.renderAll(spec, EtcdUnit.DEFAULT_BINARY).stream().map(RenderedFile::host).toList());
    }

    /** The words of the ExecStart command line, continuation lines joined; fails on quoting it cannot split. */
    static List<String> execStart(String unit) {
        StringBuilder command = null;
        for (String line : unit.lines().toList()) {
            if (command == null && line.startsWith("ExecStart=")) {
                command = new StringBuilder(line.substring("ExecStart=".length()));
            } else if (command != null) {
                command.append(' ').append(line);
            } else {
                continue;
            }
            if (!line.endsWith("\\")) {
                break;
            }
            command.setLength(command.length() - 1);
        }
        if (command == null) {
            throw new AssertionError("no ExecStart in\n" + unit);
        }
        String text = command.toString();
        if (text.contains("\"") || text.contains("'") || text.contains("$") || text.contains("%")) {
            throw new AssertionError("ExecStart needs systemd's quoting or specifier rules: " + text);
        }
        return new ArrayList<>(List.of(text.strip().split("\\s+")));
    }

    static String golden(String name) throws IOException {
        try (InputStream in = EtcdUnitTest.class.getResourceAsStream("golden/" + name)) {
            if (in == null) {
                throw new AssertionError("missing golden file src/test/resources/dev/kubeha/render/golden/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
