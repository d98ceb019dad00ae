package dev.kubeha.sources;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** The download cache every cluster shares: DIR/COMPONENT/FILE under the state root, kept only while its SHA-256 matches. */
public record SourceCache(Path dir) {
    public static final String NAME = "cache";

    /** The cache beside a cluster's state directory: STATE_ROOT/cache (~/.kubeha/cache by default). */
    public static SourceCache sharedBy(Path clusterStateDir) {
        return new SourceCache(clusterStateDir.toAbsolutePath().getParent().resolve(NAME));
    }

    public Path path(Download d) {
        return dir.resolve(d.component()).resolve(d.fileName());
    }

    Path part(Download d) {
        return path(d).resolveSibling(d.fileName() + ".part");
    }

    /** Where the first download's SHA-256 is kept for files with no published one. */
    Path recorded(Download d) {
        return path(d).resolveSibling(d.fileName() + ".sha256");
    }

    /** The published SHA-256, else the one recorded on the first download. */
    public Optional<String> expected(Download d) {
        if (d.sha256().isPresent()) {
            return d.sha256();
        }
        try {
            Path record = recorded(d);
            return Files.isRegularFile(record) ? Optional.of(Files.readString(record, StandardCharsets.US_ASCII).trim()
                    .toLowerCase(Locale.ROOT)) : Optional.empty();
        } catch (IOException e) {
            throw new SourceException(recorded(d) + ": cannot read it: " + e.getMessage());
        }
    }

    /**
     * The cached file when its SHA-256 matches; a file that does not match (damaged, or changed on disk) is deleted
     * so that it is fetched again. Sends no request.
     */
    public Optional<Path> verified(Download d) {
        Path file = path(d);
        Optional<String> expected = expected(d);
        if (!Files.isRegularFile(file) || expected.isEmpty()) {
            return Optional.empty();
        }
        if (sha256(file).equals(expected.get())) {
            return Optional.of(file);
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new SourceException(file + ": its SHA-256 does not match and it cannot be removed: "
                    + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Puts a file that arrived another way (an offline bundle's copy) into the cache as the download {@code d}; it must
     * match the SHA-256 the cache expects for it, and becomes the recorded one when there is none yet.
     */
    public Path adopt(Download d, Path file) {
        String actual = sha256(file);
        expected(d).filter(e -> !e.equals(actual)).ifPresent(e -> {
            throw new SourceException(file + ": SHA-256 is " + actual + ", but " + d.title() + " must be " + e);
        });
        try {
            Path part = directoryFor(d).resolve(d.fileName() + ".part");
            Files.copy(file, part, StandardCopyOption.REPLACE_EXISTING);
            return store(d, part, actual);
        } catch (IOException e) {
            throw new SourceException(path(d) + ": cannot store " + file + ": " + e.getMessage());
        }
    }

    /** Moves a checked .part file into place, recording its SHA-256 when nobody publishes one. */
    Path store(Download d, Path part, String actual) throws IOException {
        Path target = path(d);
        if (d.sha256().isEmpty() && expected(d).isEmpty()) {
            Files.writeString(recorded(d), actual + "\n", StandardCharsets.US_ASCII);
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Creates the component's directory, private to this user. */
    Path directoryFor(Download d) throws IOException {
        Path parent = path(d).getParent();
        for (Path p : new Path[] {dir, parent}) {
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
            }
        }
        return parent;
    }

    /** The SHA-256 of a file, hex. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new SourceException(file + ": cannot read it: " + e.getMessage());
        }
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
