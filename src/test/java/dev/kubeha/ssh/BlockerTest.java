package dev.kubeha.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.install.InstallSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Why an install could not start stays typed until the view asks: an unknown host key is known by its type. */
class BlockerTest {
    @Test
    void anUnknownHostKeyIsRecognisedByItsTypeEvenWhenWrapped() {
        SshException unknown = new SshException.HostKeyUnknown("root@cp1:22", "ssh-ed25519", "SHA256:abc");
        InstallSession.Blocker direct = new InstallSession.Blocker(Optional.of("cp1"), unknown);
        assertTrue(direct.hostKeyUnknown());
        assertEquals("cp1: root@cp1:22: unknown ssh-ed25519 host key SHA256:abc; trust it explicitly"
                + " (--accept-new-host-keys) after checking the fingerprint", direct.text());
        assertTrue(new InstallSession.Blocker(Optional.of("cp1"), new IllegalStateException("probe", unknown))
                .hostKeyUnknown());
    }

    @Test
    void aChangedKeyOrAFingerprintInAMessageIsNotAnUnknownKey() {
        SshException changed = new SshException.HostKeyChanged("cp1", "root@cp1:22", "ssh-ed25519",
                List.of("SHA256:old"), "SHA256:new");
        assertFalse(new InstallSession.Blocker(Optional.of("cp1"), changed).hostKeyUnknown());
        assertFalse(new InstallSession.Blocker(Optional.empty(), new IllegalStateException("SHA256: mismatch"))
                .hostKeyUnknown());
        assertEquals("SHA256: mismatch",
                new InstallSession.Blocker(Optional.empty(), new IllegalStateException("SHA256: mismatch")).text());
    }

    @Test
    void aSupportBundleThatCouldNotBeWrittenIsNoPath() {
        assertEquals("/state/support/cp1.tar.gz",
                new InstallSession.SupportBundleFile.Written(Path.of("/state/support/cp1.tar.gz")).text());
        assertEquals("(cp1: could not write the support bundle: disk full)",
                new InstallSession.SupportBundleFile.NotWritten("cp1", new IOException("disk full")).text());
    }
}
