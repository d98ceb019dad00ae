package dev.kubeha.exec;

import dev.kubeha.model.JumpHostPath;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** A release .tar.gz on the jump host: checked against its SHA-256, then read for the executables it carries. */
public final class ReleaseArchive {
    private static final int BLOCK = 512;

    private ReleaseArchive() {
    }

    /** One member unpacked to a private file on the jump host, with the SHA-256 of its content. */
    public record Member(Path file, long size, String sha256) {
    }

    /** Receives one wanted member's content: exactly {@code size} bytes are readable from {@code content}. */
    private interface MemberSink {
        void accept(String base, InputStream content, long size) throws IOException;
    }

    /** The named members' bytes, after the archive's SHA-256 matched; fails with a message naming the file. */
    public static Map<String, byte[]> extract(Path archive, String expectedSha256, List<String> members) {
        Map<String, byte[]> found = new HashMap<>();
        read(archive, expectedSha256, members, (base, content, size) -> {
            if (size >= Integer.MAX_VALUE) {
                throw new IOException(base + " is too large to hold in memory");
            }
            found.put(base, content.readNBytes((int) size));
        });
        return found;
    }

    /**
     * Unpacks the named members into {@code dir} (files 0600, streamed: memory use does not grow with their size),
     * after the archive's SHA-256 matched. On any failure the files written so far are removed.
     */
    public static Map<String, Member> extractTo(Path archive, String expectedSha256, List<String> members, Path dir) {
        Map<String, Member> found = new HashMap<>();
        try {
            read(archive, expectedSha256, members, (base, content, size) -> {
                Path target = dir.resolve(base);
                Files.deleteIfExists(target);
                MessageDigest sha = sha256();
                try (OutputStream out = Files.newOutputStream(Files.createFile(target,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))) {
                    byte[] buffer = new byte[1 << 16];
                    long left = size;
                    while (left > 0) {
                        int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (n < 0) {
                            throw new EOFException(base + " ends early");
                        }
                        sha.update(buffer, 0, n);
                        out.write(buffer, 0, n);
                        left -= n;
                    }
                }
                target.toFile().deleteOnExit();
                found.put(base, new Member(target, size, HexFormat.of().formatHex(sha.digest())));
            });
            return found;
        } catch (RuntimeException e) {
            for (String base : members) {
                try {
                    Files.deleteIfExists(dir.resolve(base));
                } catch (IOException ignored) {
                    // best effort: the directory is private and removed with the run
                }
            }
            throw e;
        }
    }

    private static void read(Path archive, String expectedSha256, List<String> members, MemberSink sink) {
        Path file = JumpHostPath.of(archive.toString());
        String expected = expectedSha256.isEmpty() ? fromSums(file) : expectedSha256;
        Set<String> found = new HashSet<>();
        try (DigestInputStream digest = new DigestInputStream(Files.newInputStream(file), sha256());
             InputStream tar = new GZIPInputStream(digest, 1 << 16)) {
            readTar(tar, members, found, sink);
            tar.transferTo(OutputStream.nullOutputStream());
            String actual = HexFormat.of().formatHex(digest.getMessageDigest().digest());
            if (!actual.equals(expected)) {
                throw new StepFailure(file + ": SHA-256 is " + actual + ", expected " + expected
                        + "; the archive is damaged or not the release it claims to be");
            }
        } catch (IOException e) {
            throw new StepFailure(file + ": cannot read the archive: " + e.getMessage());
        }
        for (String member : members) {
            if (!found.contains(member)) {
                throw new StepFailure(file + ": has no file named " + member);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void readTar(InputStream tar, List<String> members, Set<String> found, MemberSink sink)
            throws IOException {
        DataInputStream in = new DataInputStream(tar);
        byte[] header = new byte[BLOCK];
        while (true) {
            try {
                in.readFully(header);
            } catch (EOFException e) {
                return;
            }
            if (header[0] == 0) {
                return;
            }
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            String path = prefix.isEmpty() ? name : prefix + "/" + name;
            long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
            char type = (char) header[156];
            String base = path.substring(path.lastIndexOf('/') + 1);
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if ((type == '0' || type == 0) && members.contains(base)) {
                sink.accept(base, in, size);
                found.add(base);
                in.skipNBytes(padded - size);
            } else {
                in.skipNBytes(padded);
            }
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }

    /** The archive's line in SHA256SUMS beside it (the file etcd, like most projects, publishes with its releases). */
    private static String fromSums(Path archive) {
        Path sums = archive.resolveSibling("SHA256SUMS");
        try {
            for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+\\*?");
                if (parts.length == 2 && parts[1].equals(archive.getFileName().toString())) {
                    return parts[0].toLowerCase(Locale.ROOT);
                }
            }
            throw new StepFailure(sums + ": has no line for " + archive.getFileName()
                    + "; set etcd.archiveSha256 or download the release's SHA256SUMS beside the archive");
        } catch (IOException e) {
            throw new StepFailure(sums + ": cannot read it (" + e.getMessage() + "); set etcd.archiveSha256 or"
                    + " download the release's SHA256SUMS beside the archive");
        }
    }
}
