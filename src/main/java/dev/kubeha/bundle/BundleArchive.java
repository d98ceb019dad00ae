package dev.kubeha.bundle;

import dev.kubeha.sources.SourceCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** The bundle file: an uncompressed tar with manifest.json first, then every item at its path. */
public final class BundleArchive {
    private static final int MANIFEST_LIMIT = 16 << 20;

    private BundleArchive() {
    }

    /** Writes the manifest and the items, read from {@code staging}/PATH, to {@code out} (via a .part file). */
    public static void write(Path out, BundleManifest manifest, Path staging) {
        Path part = out.resolveSibling(out.getFileName() + ".part");
        try (OutputStream file = Files.newOutputStream(part);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] json = manifest.toJson();
            TarArchiveEntry head = new TarArchiveEntry(BundleManifest.FILE);
            head.setSize(json.length);
            head.setMode(0644);
            tar.putArchiveEntry(head);
            tar.write(json);
            tar.closeArchiveEntry();
            for (BundleItem item : manifest.items()) {
                Path source = staging.resolve(item.path());
                TarArchiveEntry entry = new TarArchiveEntry(item.path());
                entry.setSize(Files.size(source));
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                Files.copy(source, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new BundleException(out + ": cannot write the bundle: " + e.getMessage());
        }
        try {
            Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BundleException(out + ": cannot write the bundle: " + e.getMessage());
        }
    }

    /**
     * Unpacks the bundle into {@code into} (created, 0700), checking every file's size and SHA-256 against the
     * manifest; refuses files the manifest does not list, missing files and any mismatch, and then leaves nothing.
     */
    public static Bundle open(Path tarFile, Path into) {
        try {
            Files.createDirectories(into.getParent());
            Files.createDirectory(into, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new BundleException(into + ": cannot make a private directory to unpack the bundle in: "
                    + e.getMessage());
        }
        try {
            return unpack(tarFile, into);
        } catch (BundleException e) {
            delete(into);
            throw e;
        }
    }

    private static Bundle unpack(Path tarFile, Path into) {
        try (InputStream file = Files.newInputStream(tarFile);
             TarArchiveInputStream tar = new TarArchiveInputStream(file)) {
            TarArchiveEntry head = tar.getNextEntry();
            if (head == null || !head.getName().equals(BundleManifest.FILE) || !head.isFile()
                    || head.getSize() > MANIFEST_LIMIT) {
                throw new BundleException(tarFile + ": not a kubeha bundle (its first file is not "
                        + BundleManifest.FILE + ")");
            }
            BundleManifest manifest = BundleManifest.parse(tar.readNBytes((int) head.getSize()));
            Map<String, BundleItem> pending = new HashMap<>();
            manifest.items().forEach(i -> pending.put(i.path(), i));
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                BundleItem item = pending.remove(entry.getName());
                if (item == null || !entry.isFile()) {
                    throw new BundleException(tarFile + ": '" + entry.getName() + "' is not in its manifest, or"
                            + " listed twice; the bundle was changed after it was made");
                }
                Path target = into.resolve(item.path());
                Files.createDirectories(target.getParent());
                String actual = copy(tar, target);
                long size = Files.size(target);
                if (size != item.size() || !actual.equals(item.sha256())) {
                    throw new BundleException(tarFile + ": " + item.path() + " has SHA-256 " + actual + " (" + size
                            + " bytes), but the manifest says " + item.sha256() + " (" + item.size() + " bytes):"
                            + " the bundle is damaged; copy it again");
                }
            }
            if (!pending.isEmpty()) {
                throw new BundleException(tarFile + ": " + pending.size() + " files of its manifest are missing, e.g. "
                        + pending.keySet().iterator().next() + "; the bundle is incomplete; copy it again");
            }
            return new Bundle(into, manifest);
        } catch (IOException e) {
            throw new BundleException(tarFile + ": cannot read the bundle: " + e.getMessage());
        }
    }

    private static String copy(InputStream in, Path target) throws IOException {
        MessageDigest digest = SourceCache.digest();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new BundleException(dir + ": cannot remove it: " + e.getMessage());
        }
    }
}
