package dev.kubeha.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsStoreTest {
    @TempDir
    Path home;

    @Test
    void generatedSecretsHaveTheFormsTheirConsumersNeed() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 50; i++) {
            Secrets s = SecretsStore.generate(random);
            assertTrue(s.bootstrapToken().matches("[a-z0-9]{6}\\.[a-z0-9]{16}"), "bootstrap token form");
            assertTrue(s.certificateKey().matches("[0-9a-f]{64}"), "certificate key is 32 bytes in hex");
            assertTrue(s.vrrpPassword().matches("[A-Za-z0-9]{8}"), "keepalived uses 8 characters");
            assertTrue(s.haproxyStatsPassword().matches("[A-Za-z0-9]{24,}"), "stats password is long");
        }
        assertNotEquals(SecretsStore.generate(random), SecretsStore.generate(random));
    }

    @Test
    void createdOnceIn0600FileAndReusedAfterwards() throws IOException {
        StateDir dir = StateDir.defaultFor(home, "kubernetes");
        Secrets first = new SecretsStore(dir).loadOrCreate();
        Path file = dir.root().resolve(SecretsStore.FILE_NAME);
        assertEquals("rw-------", StateDirTest.mode(file));
        assertEquals("rwx------", StateDirTest.mode(dir.root()));
        byte[] stored = Files.readAllBytes(file);
        Secrets second = new SecretsStore(dir, new SecureRandom()).loadOrCreate();
        assertEquals(first, second);
        assertArrayEquals(stored, Files.readAllBytes(file), "the file is not rewritten when it is reused");
    }

    @Test
    void neverShowsTheValuesInItsTextForm() {
        Secrets s = SecretsStore.generate(new SecureRandom());
        String text = s.toString();
        for (String value : List.of(s.bootstrapToken(), s.certificateKey(), s.vrrpPassword(), s.haproxyStatsPassword())) {
            assertFalse(text.contains(value));
        }
    }

    @Test
    void aDamagedFileIsReportedWithItsPathAndLine() throws IOException {
        StateDir dir = StateDir.at(home.resolve("state"));
        SecretsStore store = new SecretsStore(dir);
        store.loadOrCreate();
        Path file = store.file();
        Files.writeString(file, Files.readString(file).replace("vrrpPassword=", "vrrpPasword="));
        StateException e = assertThrows(StateException.class, store::loadOrCreate);
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 4"), e.getMessage());

        Files.writeString(file, "bootstrapToken=abcdef.0123456789abcdef\n");
        e = assertThrows(StateException.class, store::loadOrCreate);
        assertTrue(e.getMessage().contains("has no certificateKey"), e.getMessage());
        assertFalse(e.getMessage().contains("0123456789abcdef"), "the message does not echo secret values");
    }
}
