package dev.kubeha.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("tools")
class EtcdPkiOpensslTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void everyHostCertificateVerifiesAgainstItsCaAndNotAgainstAnother() throws IOException {
        checkTree(GuideSpecs.guide(), "EC");
    }

    @Test
    void rsaCertificatesVerifyToo() throws IOException {
        checkTree(GuideSpecs.withKeyAlgorithm(GuideSpecs.guide(), KeyAlgorithm.RSA_2048), "RSA");
    }

    private void checkTree(ClusterSpec spec, String keyType) throws IOException {
        EtcdPki pki = EtcdPki.loadOrCreate(StateDir.at(tmp.resolve("state")), spec);
        EtcdPki foreign = EtcdPki.loadOrCreate(StateDir.at(tmp.resolve("foreign")), spec);
        Path foreignCa = foreign.etcdctlCredentials().orElseThrow().caCertificate();
        Map<String, Path> written = write(pki.hostFiles(spec), tmp.resolve("hosts"));
        Path ca = written.get("ceph1:/data/etcd/ssl/ca.pem");
        assertEquals(Files.readString(ca), Files.readString(written.get("worker1:/etc/kubernetes/pki/etcd/ca.pem")));

        for (Map.Entry<String, Path> file : written.entrySet()) {
            String name = file.getKey();
            if (name.endsWith("-key.pem")) {
                Processes.Result key = openssl("pkey", "-in", file.getValue().toString(), "-noout", "-text");
                assertEquals(0, key.exitCode(), name + ": " + key.output());
                assertTrue(key.stdout().startsWith("RSA".equals(keyType) ? "Private-Key: (2048 bit" : "Private-Key: (256 bit"),
                        name + ": " + key.stdout().lines().findFirst().orElse(""));
                continue;
            }
            if (name.endsWith("/ca.pem")) {
                continue;
            }
            Processes.Result ok = openssl("verify", "-CAfile", ca.toString(), file.getValue().toString());
            assertEquals(0, ok.exitCode(), name + ": " + ok.output());
            assertEquals(file.getValue() + ": OK\n", ok.stdout());
            Processes.Result refused = openssl("verify", "-CAfile", foreignCa.toString(), file.getValue().toString());
            assertNotEquals(0, refused.exitCode(), name + " verified against a foreign CA");
            assertTrue(refused.output().contains("unable to get local issuer certificate"), refused.output());
        }

        for (String member : List.of("ceph1", "ceph2", "ceph3")) {
            String address = spec.hosts().stream().filter(h -> h.name().equals(member)).findFirst().orElseThrow()
                    .address();
            for (String kind : List.of("server", "peer")) {
                Map<String, String> ext = extensions(written.get(member + ":/data/etcd/ssl/" + kind + ".pem"));
                assertEquals("TLS Web Server Authentication, TLS Web Client Authentication",
                        ext.get("X509v3 Extended Key Usage"));
                assertEquals(Set.of("DNS:" + member, "DNS:localhost", "IP:" + ip(address), "IP:" + ip("127.0.0.1"),
                        "IP:" + ip("::1")), sans(ext.get("X509v3 Subject Alternative Name")));
                assertEquals("CA:FALSE", ext.get("X509v3 Basic Constraints"));
                assertEquals("RSA".equals(keyType) ? "Digital Signature, Key Encipherment" : "Digital Signature",
                        ext.get("X509v3 Key Usage"));
                assertTrue(ext.containsKey("X509v3 Subject Key Identifier")
                        && ext.containsKey("X509v3 Authority Key Identifier"), ext.toString());
                assertEquals(kind.equals("peer") ? "CN = etcd-peer" : "CN = " + member,
                        subject(written.get(member + ":/data/etcd/ssl/" + kind + ".pem")));
            }
        }
        Path client = written.get("worker1:/etc/kubernetes/pki/apiserver-etcd-client.pem");
        Map<String, String> ext = extensions(client);
        assertEquals("TLS Web Client Authentication", ext.get("X509v3 Extended Key Usage"));
        assertTrue(!ext.containsKey("X509v3 Subject Alternative Name"), ext.toString());
        assertEquals("CN = kube-apiserver-etcd-client", subject(client));

        Map<String, String> caExt = extensions(ca);
        assertEquals("CA:TRUE, pathlen:0", caExt.get("X509v3 Basic Constraints"));
        assertEquals("Certificate Sign, CRL Sign", caExt.get("X509v3 Key Usage"));
        assertEquals("CN = etcd-ca", subject(ca));

        EtcdctlCredentials etcdctl = pki.etcdctlCredentials().orElseThrow();
        Processes.Result operator = openssl("verify", "-CAfile", etcdctl.caCertificate().toString(),
                etcdctl.certificate().toString());
        assertEquals(0, operator.exitCode(), operator.output());
        assertEquals("TLS Web Client Authentication", extensions(etcdctl.certificate()).get("X509v3 Extended Key Usage"));
    }

    @Test
    void aLeafIssuedLateInItsCasLifeEndsWithTheCa() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        StateDir state = StateDir.at(tmp.resolve("state"));
        EtcdPki first = EtcdPki.loadOrCreate(state, spec);
        Instant caEnd = first.certificate("etcd-ca").orElseThrow().getNotAfter().toInstant();
        Files.delete(tmp.resolve("state").resolve(EtcdPki.STATE_SUBDIR).resolve("ceph2").resolve("peer.pem"));
        Instant issuedAt = caEnd.minus(Duration.ofDays(30));
        EtcdPki late = EtcdPki.loadOrCreate(state, spec, Clock.fixed(issuedAt, ZoneOffset.UTC), new SecureRandom());
        assertEquals(1, late.warnings().size(), late.warnings().toString());
        Map<String, Path> written = write(late.hostFiles(spec), tmp.resolve("hosts"));
        String caEndText = openssl("x509", "-in", written.get("ceph2:/data/etcd/ssl/ca.pem").toString(), "-noout",
                "-enddate").stdout();
        Processes.Result peer = openssl("x509", "-in", written.get("ceph2:/data/etcd/ssl/peer.pem").toString(),
                "-noout", "-enddate");
        assertEquals(caEndText, peer.stdout(), "the peer certificate ends with its CA");
        Processes.Result ok = openssl("verify", "-attime", Long.toString(issuedAt.getEpochSecond()), "-CAfile",
                written.get("ceph2:/data/etcd/ssl/ca.pem").toString(),
                written.get("ceph2:/data/etcd/ssl/peer.pem").toString());
        assertEquals(0, ok.exitCode(), ok.output());
    }

    static Map<String, Path> write(List<RenderedFile> files, Path root) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (RenderedFile f : files) {
            Path target = root.resolve(f.host()).resolve(f.path().substring(1));
            Files.createDirectories(target.getParent());
            Files.write(target, f.content());
            out.put(f.host() + ":" + f.path(), target);
        }
        return out;
    }

    /** Each X509v3 extension of {@code openssl x509 -text}: its name and the one line that follows it. */
    static Map<String, String> extensions(Path cert) {
        Processes.Result text = openssl("x509", "-in", cert.toString(), "-noout", "-text");
        assertEquals(0, text.exitCode(), text.output());
        List<String> lines = text.stdout().lines().map(String::strip).toList();
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).startsWith("X509v3 ")) {
                out.put(lines.get(i).replace(": critical", "").replaceAll(":$", ""), lines.get(i + 1));
            }
        }
        return out;
    }

    static String subject(Path cert) {
        Processes.Result r = openssl("x509", "-in", cert.toString(), "-noout", "-subject");
        return r.stdout().strip().replaceFirst("^subject=", "");
    }

    static Set<String> sans(String line) {
        return Arrays.stream(line.split(", ")).map(s -> s.startsWith("IP Address:")
                ? "IP:" + ip(s.substring("IP Address:".length())) : s).collect(Collectors.toSet());
    }

    static String ip(String literal) {
        return IpLiteral.parse(literal).map(InetAddress::getHostAddress).orElseThrow(() -> new AssertionError(literal));
    }

    static Processes.Result openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        return Processes.run(TIMEOUT, command);
    }
}
