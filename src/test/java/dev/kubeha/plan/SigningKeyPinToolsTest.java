package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host-side pin check, run for real with curl (file://, no network) and gpg on this machine. */
@Tag("tools")
class SigningKeyPinToolsTest {
    static final Path LAB_KEY = Path.of("lab/fixtures/packaging/signing-key.pub.asc").toAbsolutePath();
    static final String LAB_FINGERPRINT = "770A5A11914AE2052F38DF29B9D5FECE9CBA154E";

    @TempDir
    Path dir;

    record Result(int exit, String output) {
    }

    Result run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script);
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theKeyIsInstalledOnlyWhenItIsExactlyThePinnedOne() throws Exception {
        Path dest = dir.resolve("keyrings/kubernetes.asc");
        Result ok = run(InstallKubernetes.fetchKey(LAB_KEY.toUri().toString(), LAB_FINGERPRINT, dest.toString()));
        assertEquals(0, ok.exit(), ok.output());
        assertEquals(Files.readString(LAB_KEY), Files.readString(dest));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dest)));

        Path other = dir.resolve("other/kubernetes.asc");
        String wrongPin = "0".repeat(40);
        Result wrong = run(InstallKubernetes.fetchKey(LAB_KEY.toUri().toString(), wrongPin, other.toString()));
        assertNotEquals(0, wrong.exit());
        assertTrue(wrong.output().contains(LAB_FINGERPRINT + ", not the pinned " + wrongPin), wrong.output());
        assertFalse(Files.exists(other), "nothing is installed");
        assertFalse(Files.exists(other.getParent()), "nothing is created");
    }

    @Test
    void aKeyFileThatCarriesAnotherKeyBesideThePinnedOneIsRefused() throws Exception {
        Path home = Files.createDirectory(dir.resolve("gnupg"));
        Result gen = run("GNUPGHOME=" + home + " gpg --batch --quiet --pinentry-mode loopback --passphrase ''"
                + " --quick-gen-key 'intruder <x@kubeha.invalid>' ed25519 sign never && GNUPGHOME=" + home
                + " gpg --batch --armor --export > " + dir.resolve("intruder.asc")
                + "; GNUPGHOME=" + home + " gpgconf --kill all");
        assertEquals(0, gen.exit(), gen.output());
        Path both = dir.resolve("both.asc");
        Files.writeString(both, Files.readString(LAB_KEY) + Files.readString(dir.resolve("intruder.asc")));
        Path dest = dir.resolve("keyrings/kubernetes.asc");
        Result r = run(InstallKubernetes.fetchKey(both.toUri().toString(), LAB_FINGERPRINT, dest.toString()));
        assertNotEquals(0, r.exit());
        assertTrue(r.output().contains("not the pinned " + LAB_FINGERPRINT), r.output());
        assertFalse(Files.exists(dest));
    }
}
