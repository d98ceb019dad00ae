package dev.kubeha.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.model.Role;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateException;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.validate.Problem;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdPkiTest {
    static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path home;

    EtcdPki load(ClusterSpec spec) {
        return EtcdPki.loadOrCreate(StateDir.at(home.resolve("state")), spec, CLOCK, new SecureRandom());
    }

    @Test
    void tableHasOneCaTwoCertificatesPerMemberAndTwoClients() {
        List<String> names = EtcdCertificates.requests(GuideSpecs.guide()).stream().map(CertificateRequest::name).toList();
        assertEquals(List.of("etcd-ca", "etcd-server/ceph1", "etcd-server/ceph2", "etcd-server/ceph3",
                "etcd-peer/ceph1", "etcd-peer/ceph2", "etcd-peer/ceph3", "apiserver-etcd-client", "kubeha-etcdctl"),
                names);
    }

    @Test
    void membersGetTheGuideFilesInCertDirAndControlPlanesKubeadmsFiles() {
        ClusterSpec spec = GuideSpecs.guide();
        List<RenderedFile> files = load(spec).hostFiles(spec);
        Map<String, List<String>> byHost = files.stream().collect(Collectors.groupingBy(RenderedFile::host,
                Collectors.mapping(f -> f.path() + " " + Integer.toOctalString(f.mode()) + " " + f.owner(),
                        Collectors.toList())));
        List<String> member = List.of("/data/etcd/ssl/ca.pem 644 etcd", "/data/etcd/ssl/server.pem 644 etcd",
                "/data/etcd/ssl/server-key.pem 600 etcd", "/data/etcd/ssl/peer.pem 644 etcd",
                "/data/etcd/ssl/peer-key.pem 600 etcd");
        List<String> controlPlane = List.of("/etc/kubernetes/pki/etcd/ca.pem 644 root",
                "/etc/kubernetes/pki/apiserver-etcd-client.pem 644 root",
                "/etc/kubernetes/pki/apiserver-etcd-client-key.pem 600 root");
        assertEquals(Map.of("ceph1", member, "ceph2", member, "ceph3", member,
                "worker1", controlPlane, "worker2", controlPlane), byHost);
    }

    @Test
    void noCaKeyAndNoOperatorCredentialEverReachesAHost() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        EtcdPki pki = load(spec);
        Path pkiDir = home.resolve("state").resolve(EtcdPki.STATE_SUBDIR);
        String caKey = Files.readString(pkiDir.resolve("ca-key.pem"));
        String etcdctlKey = Files.readString(pki.etcdctlCredentials().orElseThrow().key());
        for (RenderedFile f : pki.hostFiles(spec)) {
            assertFalse(f.text().contains(caKey.strip()), f + " holds the CA key");
            assertFalse(f.text().contains(etcdctlKey.strip()), f + " holds the operator's key");
        }
    }

    @Test
    void certificatesHaveTheCnsUsagesAndAltNamesOfTheTable() throws Exception {
        ClusterSpec spec = GuideSpecs.guide();
        EtcdPki pki = load(spec);
        X509Certificate ca = pki.certificate("etcd-ca").orElseThrow();
        assertEquals("CN=etcd-ca", ca.getSubjectX500Principal().getName());
        assertEquals(0, ca.getBasicConstraints(), "CA:TRUE with pathlen 0: it signs leaves only");
        assertEquals(List.of(false, false, false, false, false, true, true, false, false), bools(ca.getKeyUsage()));
        assertEquals(Duration.ofDays(3650).plusMinutes(5), between(ca));

        for (HostSpec member : spec.hostsWith(Role.ETCD)) {
            for (String kind : List.of("etcd-server/", "etcd-peer/")) {
                X509Certificate cert = pki.certificate(kind + member.name()).orElseThrow();
                assertEquals(kind.equals("etcd-peer/") ? "CN=etcd-peer" : "CN=" + member.name(),
                        cert.getSubjectX500Principal().getName(), "peers share the CN etcd pins on its peer port");
                assertEquals(Set.of(SERVER_AUTH, CLIENT_AUTH), Set.copyOf(cert.getExtendedKeyUsage()));
                assertEquals(Set.of("2:" + member.name(), "2:localhost", "7:" + ip(member.address()),
                        "7:" + ip("127.0.0.1"), "7:" + ip("::1")), altNames(cert));
                assertLeafOf(ca, cert);
            }
        }
        for (String client : List.of("apiserver-etcd-client", "kubeha-etcdctl")) {
            X509Certificate cert = pki.certificate(client).orElseThrow();
            assertEquals(List.of(CLIENT_AUTH), cert.getExtendedKeyUsage());
            assertEquals(Set.of(), altNames(cert));
            assertLeafOf(ca, cert);
        }
        assertEquals("CN=kube-apiserver-etcd-client",
                pki.certificate("apiserver-etcd-client").orElseThrow().getSubjectX500Principal().getName(),
                "no O=system:masters since kubeadm 1.29");
    }

    private static void assertLeafOf(X509Certificate ca, X509Certificate cert) throws Exception {
        cert.verify(ca.getPublicKey());
        assertEquals(ca.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(-1, cert.getBasicConstraints());
        assertTrue(cert.getPublicKey() instanceof ECPublicKey, "ECDSA P-256 by default");
        assertEquals(List.of(true, false, false, false, false, false, false, false, false), bools(cert.getKeyUsage()));
        assertEquals(NOW.minus(Duration.ofMinutes(5)), cert.getNotBefore().toInstant(), "backdated like kubeadm");
        assertEquals(NOW.plus(Duration.ofDays(365)), cert.getNotAfter().toInstant());
        byte[] caSki = SubjectKeyIdentifier.getInstance(
                DEROctetString.getInstance(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
        byte[] aki = AuthorityKeyIdentifier.getInstance(
                DEROctetString.getInstance(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifierOctets();
        assertArrayEquals(caSki, aki);
        assertTrue(cert.getExtensionValue(Extension.subjectKeyIdentifier.getId()) != null);
        assertTrue(cert.getSerialNumber().bitLength() > 64, "random serial");
    }

    @Test
    void rsaOptionIssuesRsa2048KeysWithKeyEncipherment() throws Exception {
        ClusterSpec spec = GuideSpecs.withKeyAlgorithm(GuideSpecs.guide(), KeyAlgorithm.RSA_2048);
        EtcdPki pki = load(spec);
        X509Certificate ca = pki.certificate("etcd-ca").orElseThrow();
        assertEquals(2048, ((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength());
        X509Certificate server = pki.certificate("etcd-server/ceph1").orElseThrow();
        assertEquals(2048, ((RSAPublicKey) server.getPublicKey()).getModulus().bitLength());
        assertEquals("1.2.840.113549.1.1.11", server.getSigAlgOID(), "sha256WithRSAEncryption");
        assertEquals(List.of(true, false, true, false, false, false, false, false, false), bools(server.getKeyUsage()));
        server.verify(ca.getPublicKey());
    }

    @Test
    void secondLoadIsByteIdenticalAndStateIsPrivate() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        EtcdPki first = load(spec);
        assertEquals(9, first.newlyIssued().size());
        EtcdPki second = load(spec);
        assertEquals(List.of(), second.newlyIssued());
        assertEquals(first.hostFiles(spec), second.hostFiles(spec));
        try (var walk = Files.walk(home.resolve("state"))) {
            for (Path p : walk.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode, p.toString());
            }
        }
        var etcdctl = second.etcdctlCredentials().orElseThrow();
        assertTrue(Files.isRegularFile(etcdctl.certificate()) && Files.isRegularFile(etcdctl.key())
                && etcdctl.caCertificate().endsWith("ca.pem"));
    }

    @Test
    void changingOneAddressReissuesOnlyThatMembersCertificates() {
        ClusterSpec spec = GuideSpecs.guide();
        Map<String, byte[]> before = contents(load(spec).hostFiles(spec));
        ClusterSpec moved = GuideSpecs.withAddress(spec, "ceph2", "172.21.16.66");
        EtcdPki after = load(moved);
        assertEquals(List.of("etcd-server/ceph2", "etcd-peer/ceph2"), after.newlyIssued());
        Map<String, byte[]> now = contents(after.hostFiles(moved));
        Set<String> changed = new HashSet<>();
        before.forEach((k, v) -> {
            if (!Arrays.equals(v, now.get(k))) {
                changed.add(k);
            }
        });
        assertEquals(Set.of("ceph2:/data/etcd/ssl/server.pem", "ceph2:/data/etcd/ssl/server-key.pem",
                "ceph2:/data/etcd/ssl/peer.pem", "ceph2:/data/etcd/ssl/peer-key.pem"), changed);
        assertTrue(altNames(after.certificate("etcd-peer/ceph2").orElseThrow()).contains("7:/172.21.16.66"));
    }

    @Test
    void switchingToRsaReissuesLeavesButKeepsTheCa() {
        ClusterSpec spec = GuideSpecs.guide();
        EtcdPki ec = load(spec);
        EtcdPki rsa = load(GuideSpecs.withKeyAlgorithm(spec, KeyAlgorithm.RSA_2048));
        assertFalse(rsa.newlyIssued().contains("etcd-ca"));
        assertEquals(8, rsa.newlyIssued().size());
        assertEquals(ec.certificate("etcd-ca"), rsa.certificate("etcd-ca"));
    }

    @Test
    void stackedEtcdHasNoExternalPki() {
        ClusterSpec spec = GuideSpecs.guide();
        ClusterSpec stacked = spec.withHosts(spec.hosts().stream().filter(h -> !h.has(Role.ETCD)).toList());
        EtcdPki pki = load(stacked);
        assertEquals(List.of(), pki.hostFiles(stacked));
        assertTrue(pki.etcdctlCredentials().isEmpty());
        assertFalse(Files.exists(home.resolve("state").resolve(EtcdPki.STATE_SUBDIR)));
    }

    @Test
    void aDamagedCaKeyIsReportedNotReplaced() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        load(spec);
        Path caKey = home.resolve("state").resolve(EtcdPki.STATE_SUBDIR).resolve("ca-key.pem");
        Files.writeString(caKey, "garbage\n");
        StateException e = assertThrows(StateException.class, () -> load(spec));
        assertTrue(e.getMessage().contains(caKey.toString()) && e.getMessage().contains("restore"), e.getMessage());
        assertEquals("garbage\n", Files.readString(caKey));
    }

    @Test
    void peerCertificatesAloneCarryTheCnThePeerPortAdmits() {
        ClusterSpec spec = GuideSpecs.guide();
        EtcdPki pki = load(spec);
        for (CertificateRequest request : EtcdCertificates.requests(spec)) {
            String cn = pki.certificate(request.name()).orElseThrow().getSubjectX500Principal().getName();
            assertEquals(request.name().startsWith("etcd-peer/"), cn.equals("CN=etcd-peer"), request.name());
        }
    }

    @Test
    void peerCertificatesOfAnExistingClusterAreReissuedWithThePinnedCn() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        load(spec);
        Path pkiDir = home.resolve("state").resolve(EtcdPki.STATE_SUBDIR);
        String legacy = legacyPeer(pkiDir, spec.hostsWith(Role.ETCD).get(0));
        EtcdPki migrated = load(spec);
        assertEquals(List.of("etcd-peer/ceph1"), migrated.newlyIssued(), "only the legacy peer certificate changes");
        assertNotEquals(legacy, Files.readString(pkiDir.resolve("ceph1/peer.pem")));
        assertEquals("CN=etcd-peer",
                migrated.certificate("etcd-peer/ceph1").orElseThrow().getSubjectX500Principal().getName());
    }

    /** Rewrites a member's peer pair as kubeha issued it before the CN pin: CN = the member's name. */
    private String legacyPeer(Path pkiDir, HostSpec member) throws IOException {
        var caCert = Pem.parseCertificate(Files.readAllBytes(pkiDir.resolve("ca.pem")));
        var caKey = Pem.parsePrivateKey(Files.readAllBytes(pkiDir.resolve("ca-key.pem")));
        CertificateRequest old = new CertificateRequest("etcd-peer/" + member.name(), member.name() + "/peer",
                "etcd-ca", member.name(), Set.of(ExtendedUsage.SERVER_AUTH, ExtendedUsage.CLIENT_AUTH),
                AltNames.forMember(member), Duration.ofDays(365));
        var keys = Crypto.generate(KeyAlgorithm.ECDSA_P256, new SecureRandom());
        String pem = new String(Pem.certificate(Issuer.leaf(old, keys.getPublic(), caCert, caKey, NOW,
                new SecureRandom())), StandardCharsets.US_ASCII);
        Files.writeString(pkiDir.resolve(member.name() + "/peer.pem"), pem);
        Files.write(pkiDir.resolve(member.name() + "/peer-key.pem"), Pem.privateKey(keys.getPrivate()));
        return pem;
    }

    @Test
    void aLeafNeverOutlivesItsCaAndTheOperatorIsWarned() {
        ClusterSpec spec = GuideSpecs.guide();
        EtcdPki first = load(spec);
        assertEquals(List.of(), first.warnings());
        Instant caEnd = first.certificate("etcd-ca").orElseThrow().getNotAfter().toInstant();
        Instant late = caEnd.minus(Duration.ofDays(100));
        home.resolve("state").resolve(EtcdPki.STATE_SUBDIR).resolve("ceph1").resolve("server.pem").toFile().delete();
        EtcdPki later = EtcdPki.loadOrCreate(StateDir.at(home.resolve("state")), spec,
                Clock.fixed(late, ZoneOffset.UTC), new SecureRandom());
        X509Certificate server = later.certificate("etcd-server/ceph1").orElseThrow();
        assertEquals(caEnd, server.getNotAfter().toInstant(), "365 days asked, 100 left on the CA");
        List<Problem> warnings = later.warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertFalse(warnings.get(0).isError());
        assertEquals("etcd.certificateValidityDays", warnings.get(0).path());
        assertTrue(warnings.get(0).message().contains("etcd-server/ceph1")
                && warnings.get(0).message().contains(caEnd.toString()), warnings.get(0).message());
    }

    @Test
    void theTablePlacesEveryLeafWithItsKeyAndNoCaKey() {
        ClusterSpec spec = GuideSpecs.guide();
        for (CertificateTemplate row : EtcdCertificates.TABLE) {
            for (CertificateTemplate.Placement placement : row.placements()) {
                String cert = placement.certificatePath().apply(spec);
                assertTrue(cert.endsWith(".pem"), cert);
                assertEquals(cert.replaceAll("\\.pem$", "-key.pem"), placement.keyPath(spec));
            }
        }
        assertEquals(List.of(), EtcdCertificates.ETCDCTL_CLIENT.placements(), "the operator's pair stays local");
        assertEquals(Duration.ofDays(3650), EtcdCertificates.CA.validity().apply(spec));
        assertEquals(Duration.ofDays(365), EtcdCertificates.SERVER.validity().apply(spec));
    }

    @Test
    void serialsDifferBetweenCertificates() {
        EtcdPki pki = load(GuideSpecs.guide());
        assertNotEquals(pki.certificate("etcd-server/ceph1").orElseThrow().getSerialNumber(),
                pki.certificate("etcd-peer/ceph1").orElseThrow().getSerialNumber());
    }

    static Set<String> altNames(X509Certificate cert) {
        try {
            var names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return Set.of();
            }
            return names.stream().map(n -> n.get(0) + ":" + ((Integer) n.get(0) == 7
                    ? ip((String) n.get(1)) : n.get(1))).collect(Collectors.toSet());
        } catch (CertificateParsingException e) {
            throw new AssertionError(e);
        }
    }

    static String ip(String literal) {
        return IpLiteral.parse(literal).map(InetAddress::toString).orElseThrow();
    }

    private static Map<String, byte[]> contents(List<RenderedFile> files) {
        return files.stream().collect(Collectors.toMap(f -> f.host() + ":" + f.path(), RenderedFile::content));
    }

    private static List<Boolean> bools(boolean[] usage) {
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            out.add(i < usage.length && usage[i]);
        }
        return out;
    }

    private static Duration between(X509Certificate cert) {
        return Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    }
}
