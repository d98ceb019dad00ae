package dev.kubeha.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.sources.SourceCache;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleArchiveTest {
    @TempDir
    Path dir;

    private BundleManifest stage(Path staging) throws IOException {
        Files.createDirectories(staging.resolve("debs/amd64"));
        Files.createDirectories(staging.resolve("images/amd64"));
        Path deb = Files.write(staging.resolve("debs/amd64/kubeadm_1.36.3-1.1_amd64.deb"), "deb".repeat(2000)
                .getBytes(StandardCharsets.US_ASCII));
        Path image = Files.write(staging.resolve("images/amd64/registry.k8s.io_pause_3.10.2.tar"),
                "image".getBytes(StandardCharsets.US_ASCII));
        return new BundleManifest("1.36.3", List.of("amd64"), "registry.k8s.io", List.of(
                new BundleItem("debs/amd64/kubeadm_1.36.3-1.1_amd64.deb", BundleItem.Kind.DEB, "kubeadm",
                        "1.36.3-1.1", "amd64", SourceCache.sha256(deb), Files.size(deb)),
                new BundleItem("images/amd64/registry.k8s.io_pause_3.10.2.tar", BundleItem.Kind.IMAGE,
                        "registry.k8s.io/pause:3.10.2", "", "amd64", SourceCache.sha256(image), Files.size(image))));
    }

    @Test
    void aWrittenBundleOpensWithEveryFileAndItsManifest() throws IOException {
        BundleManifest manifest = stage(dir.resolve("staging"));
        Path tar = dir.resolve("bundle.tar");
        BundleArchive.write(tar, manifest, dir.resolve("staging"));
        Bundle bundle = BundleArchive.open(tar, dir.resolve("open"));
        assertEquals(manifest, bundle.manifest());
        for (BundleItem item : manifest.items()) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("staging").resolve(item.path())),
                    Files.readAllBytes(bundle.file(item)));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(bundle.dir())));
        assertFalse(Files.exists(dir.resolve("bundle.tar.part")));
    }

    @Test
    void everyFlippedByteOfAFileIsRefusedAndNothingStaysUnpacked() throws IOException {
        BundleManifest manifest = stage(dir.resolve("staging"));
        Path tar = dir.resolve("bundle.tar");
        BundleArchive.write(tar, manifest, dir.resolve("staging"));
        byte[] bytes = Files.readAllBytes(tar);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("debdeb") + 100;
        bytes[at] ^= 1;
        Files.write(tar, bytes);
        BundleException e = assertThrows(BundleException.class, () -> BundleArchive.open(tar, dir.resolve("open")));
        assertTrue(e.getMessage().contains("debs/amd64/kubeadm_1.36.3-1.1_amd64.deb has SHA-256"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("open")));
    }

    @Test
    void aFileTheManifestDoesNotListOrAMissingOneIsRefused() throws IOException {
        BundleManifest manifest = stage(dir.resolve("staging"));
        Path extra = dir.resolve("extra.tar");
        try (OutputStream out = Files.newOutputStream(extra); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, BundleManifest.FILE, manifest.toJson());
            put(tar, manifest.items().get(0).path(), Files.readAllBytes(dir.resolve("staging")
                    .resolve(manifest.items().get(0).path())));
            put(tar, "etc/cron.d/evil", "x".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(assertThrows(BundleException.class, () -> BundleArchive.open(extra, dir.resolve("a")))
                .getMessage().contains("'etc/cron.d/evil' is not in its manifest"));
        Path missing = dir.resolve("missing.tar");
        try (OutputStream out = Files.newOutputStream(missing);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, BundleManifest.FILE, manifest.toJson());
        }
        assertTrue(assertThrows(BundleException.class, () -> BundleArchive.open(missing, dir.resolve("b")))
                .getMessage().contains("2 files of its manifest are missing"));
    }

    @Test
    void aManifestPathOutsideTheBundleOrAForeignFileIsRefused() {
        assertThrows(BundleException.class, () -> new BundleItem("../etc/passwd", BundleItem.Kind.DEB, "x", "", "",
                "0".repeat(64), 1));
        assertThrows(BundleException.class, () -> new BundleItem("/etc/passwd", BundleItem.Kind.DEB, "x", "", "",
                "0".repeat(64), 1));
        assertThrows(BundleException.class, () -> BundleManifest.parse("{\"format\":\"other\"}"
                .getBytes(StandardCharsets.UTF_8)));
        assertThrows(BundleException.class, () -> BundleManifest.parse("[]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTarWithoutAManifestFirstIsNotABundle() throws IOException {
        Path tar = dir.resolve("other.tar");
        try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            put(t, "README", "x".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(assertThrows(BundleException.class, () -> BundleArchive.open(tar, dir.resolve("c")))
                .getMessage().contains("not a kubeha bundle"));
    }

    @Test
    void debianVersionsOrderAsDpkgOrdersThem() {
        assertTrue(DebVersion.compare("1.36.10-1.1", "1.36.9-1.1") > 0);
        assertTrue(DebVersion.compare("1.7.1-1.1", "1.7.1-1.10") < 0);
        assertTrue(DebVersion.compare("1.0~rc1-1", "1.0-1") < 0);
        assertTrue(DebVersion.compare("1:0.1-1", "9.9-1") > 0);
        assertEquals(0, DebVersion.compare("1.36.3-1.1", "1.36.3-1.1"));
        assertTrue(DebVersion.compare("1.2a-1", "1.2-1") > 0);
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
