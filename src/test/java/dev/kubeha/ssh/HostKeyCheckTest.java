package dev.kubeha.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One handshake's host key verdict: which keys pass at once, and which send the caller to its policy. */
class HostKeyCheckTest {
    @TempDir
    Path dir;

    static PublicKey newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair().getPublic();
    }

    KnownHosts knownHosts() {
        return new KnownHosts(dir.resolve("state/known_hosts"), List.of());
    }

    @Test
    void anUnknownKeyThatAcceptNewTrustsPassesInTheSameHandshakeAndIsRecorded() throws Exception {
        KnownHosts known = knownHosts();
        PublicKey key = newKey();
        HostKeyCheck check = new HostKeyCheck(known, HostKeyPolicy.ACCEPT_NEW);
        assertTrue(check.verify("192.0.2.7", 22, key), "no second connection is needed to trust it");
        assertEquals(Optional.empty(), check.refusal());
        assertInstanceOf(KnownHosts.Verdict.Known.class, known.check("192.0.2.7", 22, key));
        assertTrue(new HostKeyCheck(known, HostKeyPolicy.REJECT_UNKNOWN).verify("192.0.2.7", 22, key));
    }

    @Test
    void aPolicyThatMayAskIsNeverCalledWithinTheHandshake() throws Exception {
        KnownHosts known = knownHosts();
        PublicKey key = newKey();
        HostKeyPolicy asking = unknown -> {
            throw new AssertionError("asked within the handshake");
        };
        HostKeyCheck check = new HostKeyCheck(known, asking);
        assertFalse(check.verify("192.0.2.7", 22, key));
        assertInstanceOf(HostKeyCheck.Refusal.Unknown.class, check.refusal().orElseThrow());
        assertFalse(Files.exists(known.stateFile()), "nothing is recorded before the policy accepted");

        HostKeyCheck rejecting = new HostKeyCheck(known, HostKeyPolicy.REJECT_UNKNOWN);
        assertFalse(rejecting.verify("192.0.2.7", 22, key));
        assertInstanceOf(HostKeyCheck.Refusal.Unknown.class, rejecting.refusal().orElseThrow());
        assertFalse(Files.exists(known.stateFile()));
    }

    @Test
    void aChangedKeyIsRefusedEvenWhenNewKeysAreAccepted() throws Exception {
        KnownHosts known = knownHosts();
        PublicKey first = newKey();
        known.remember("192.0.2.7", 22, first);
        HostKeyCheck check = new HostKeyCheck(known, HostKeyPolicy.ACCEPT_NEW);
        assertFalse(check.verify("192.0.2.7", 22, newKey()));
        HostKeyCheck.Refusal.Changed changed = assertInstanceOf(HostKeyCheck.Refusal.Changed.class,
                check.refusal().orElseThrow());
        assertEquals(List.of(KnownHosts.fingerprint(first)), changed.known());
    }

    @Test
    void anAcceptedKeyThatCannotBeRecordedIsRefusedSayingWhy() throws Exception {
        Files.writeString(dir.resolve("state"), "a file where the state directory should be");
        HostKeyCheck check = new HostKeyCheck(knownHosts(), HostKeyPolicy.ACCEPT_NEW);
        assertFalse(check.verify("192.0.2.7", 22, newKey()));
        assertInstanceOf(HostKeyCheck.Refusal.NotRecorded.class, check.refusal().orElseThrow());
    }
}
