package dev.kubeha.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdPkiRenewalTest {
    static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");
    final ClusterSpec spec = GuideSpecs.guide();

    @TempDir
    Path home;

    StateDir state() {
        return StateDir.at(home.resolve("state"));
    }

    EtcdPki renewAt(Instant at, Duration within, Optional<Duration> testValidity) {
        return EtcdPki.renew(state(), spec, within, Clock.fixed(at, ZoneOffset.UTC), new SecureRandom(), testValidity);
    }

    @Test
    void theTestOnlyValidityIssuesShortLivedLeavesThatARenewalReplacesWithFullOnesUnderTheSameCa() {
        EtcdPki shortLived = renewAt(NOW, Duration.ZERO, Optional.of(Duration.ofDays(20)));
        CertificateExpiry server = expiry(shortLived, "etcd-server/ceph2");
        assertEquals(19, server.daysLeft(NOW.plusSeconds(60)));
        assertTrue(server.expiresWithin(CertificateExpiry.WARN_WITHIN, NOW));

        EtcdPki untouched = renewAt(NOW.plus(Duration.ofDays(1)), Duration.ofDays(10), Optional.empty());
        assertEquals(List.of(), untouched.newlyIssued());

        Instant later = NOW.plus(Duration.ofDays(5));
        EtcdPki renewed = renewAt(later, CertificateExpiry.WARN_WITHIN, Optional.empty());
        assertTrue(renewed.newlyIssued().containsAll(List.of("etcd-server/ceph2", "etcd-peer/ceph1",
                "apiserver-etcd-client", "kubeha-etcdctl")), renewed.newlyIssued().toString());
        assertTrue(!renewed.newlyIssued().contains("etcd-ca"));
        assertEquals(365, expiry(renewed, "etcd-server/ceph2").daysLeft(later));
        assertEquals(CertificateExpiry.fingerprint(shortLived.certificate("etcd-ca").orElseThrow()),
                CertificateExpiry.fingerprint(renewed.certificate("etcd-ca").orElseThrow()));
        assertNotEquals(shortLived.certificate("etcd-peer/ceph3").orElseThrow().getSerialNumber(),
                renewed.certificate("etcd-peer/ceph3").orElseThrow().getSerialNumber());
    }

    @Test
    void expiriesListTheCaFirstAndEveryLeafFromTheStateDirectory() {
        List<CertificateExpiry> all = renewAt(NOW, Duration.ZERO, Optional.empty()).expiries();
        assertEquals("etcd-ca", all.get(0).name());
        assertTrue(all.get(0).ca());
        assertEquals(9, all.size());
        assertTrue(all.stream().allMatch(e -> e.location().equals("state")));
    }

    @Test
    void theTestOnlyValidityIsANumberOfDaysOrNothing() {
        assertEquals(Optional.empty(), EtcdPki.testValidity(Map.of()));
        assertEquals(Optional.of(Duration.ofDays(3)), EtcdPki.testValidity(Map.of(EtcdPki.TEST_VALIDITY_DAYS_ENV, "3")));
        assertThrows(IllegalArgumentException.class,
                () -> EtcdPki.testValidity(Map.of(EtcdPki.TEST_VALIDITY_DAYS_ENV, "0")));
        assertThrows(IllegalArgumentException.class,
                () -> EtcdPki.testValidity(Map.of(EtcdPki.TEST_VALIDITY_DAYS_ENV, "soon")));
    }

    static CertificateExpiry expiry(EtcdPki pki, String name) {
        return pki.expiries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }
}
