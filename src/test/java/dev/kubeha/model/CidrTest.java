package dev.kubeha.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CidrTest {
    static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow();
    }

    @Test
    void parsesAndNormalises() {
        assertEquals("10.96.0.0/12", cidr("10.96.0.0/12").toString());
        assertEquals("10.96.0.0/12", cidr("10.100.1.2/12").toString());
        assertEquals(128, cidr("fd00::/64").addressBits());
        assertEquals(Optional.empty(), Cidr.parse("10.96.0.0"));
        assertEquals(Optional.empty(), Cidr.parse("10.96.0.0/33"));
        assertEquals(Optional.empty(), Cidr.parse("example.com/16"));
    }

    @Test
    void containsAndOverlaps() {
        assertTrue(cidr("10.97.0.0/16").contains(IpLiteral.parse("10.97.255.255").orElseThrow()));
        assertFalse(cidr("10.97.0.0/16").contains(IpLiteral.parse("10.98.0.0").orElseThrow()));
        assertTrue(cidr("10.96.0.0/12").overlaps(cidr("10.97.0.0/16")));
        assertTrue(cidr("10.97.0.0/16").overlaps(cidr("10.96.0.0/12")));
        assertFalse(cidr("10.96.0.0/16").overlaps(cidr("10.97.0.0/16")));
        assertFalse(cidr("10.96.0.0/16").overlaps(cidr("fd00::/8")));
    }

    @Test
    void ipLiteralsNeverResolveNames() {
        assertTrue(IpLiteral.isLiteral("::1"));
        assertTrue(IpLiteral.isLiteral("fd00::10:1"));
        assertFalse(IpLiteral.isLiteral("localhost"));
        assertFalse(IpLiteral.isLiteral("10.0.8"));
        assertFalse(IpLiteral.isLiteral("010.0.8.1"));
        assertFalse(IpLiteral.isLiteral("cafe"));
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(Version.of("3.5.16").compareTo(Version.of("3.5.24")) < 0);
        assertTrue(Version.of("v1.36.10").compareTo(Version.of("1.36.9")) > 0);
        assertEquals("1.36", Version.of("1.36.3").minorLine());
        assertEquals(Optional.empty(), Version.parse("1.36"));
    }
}
