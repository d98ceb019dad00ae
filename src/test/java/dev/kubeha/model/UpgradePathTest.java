package dev.kubeha.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradePathTest {
    @Test
    void theNextMinorAndAPatchOfTheSameMinorAreAllowed() {
        UpgradePath next = UpgradePath.check("1.36.3", "1.37.1", false);
        assertEquals(Version.of("1.37.1"), next.to());
        assertEquals("1.37", next.release().minor());
        assertTrue(next.newMinor());
        UpgradePath patch = UpgradePath.check("1.36.3", "v1.36.4", false);
        assertFalse(patch.newMinor());
    }

    @Test
    void skippingAMinorIsRefused() {
        UpgradePath.Refused e = assertThrows(UpgradePath.Refused.class,
                () -> UpgradePath.check("1.35.5", "1.37.1", false));
        assertEquals(List.of("kubeadm upgrades one minor at a time: from 1.35.5 upgrade to 1.36.x first"),
                e.reasons());
    }

    @Test
    void downgradesAndTheSameVersionAreRefused() {
        assertEquals(List.of("the cluster runs 1.37.1: a downgrade to 1.36.3 is not possible"), assertThrows(
                UpgradePath.Refused.class, () -> UpgradePath.check("1.37.1", "1.36.3", false)).reasons());
        assertEquals(List.of("the cluster runs 1.37.1: a downgrade to 1.37.0 is not possible"), assertThrows(
                UpgradePath.Refused.class, () -> UpgradePath.check("1.37.1", "1.37.0", false)).reasons());
        assertEquals(List.of("the cluster runs 1.36.3 already"), assertThrows(UpgradePath.Refused.class,
                () -> UpgradePath.check("1.36.3", "1.36.3", false)).reasons());
    }

    @Test
    void targetsOutsideTheReleaseTableAndNonVersionsAreRefused() {
        List<String> reasons = assertThrows(UpgradePath.Refused.class,
                () -> UpgradePath.check("1.37.1", "1.38.0", false)).reasons();
        assertEquals(List.of("kubeha does not support Kubernetes 1.38 (it supports " + SupportedReleases.minors()
                + ")"), reasons);
        assertEquals(List.of("'latest' is not a Kubernetes version such as 1.37.1"), assertThrows(
                UpgradePath.Refused.class, () -> UpgradePath.check("1.36.3", "latest", false)).reasons());
    }

    @Test
    void kubePrometheusNeedsAReleaseForTheTargetMinor() {
        assertEquals(List.of("no kube-prometheus release supports Kubernetes 1.37: set addons.kubePrometheus to false"
                + " first"), assertThrows(UpgradePath.Refused.class,
                () -> UpgradePath.check("1.36.3", "1.37.1", true)).reasons());
        assertEquals("1.36", UpgradePath.check("1.35.5", "1.36.3", true).release().minor());
    }
}
