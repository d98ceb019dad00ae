package dev.kubeha.exec;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** A release .tar.gz on the jump host: checked against its SHA-256, then read for the executables it carries. */
public final class ReleaseArchive {
    private static final int BLOCK = 512;

    private ReleaseArchive() {
    }

    /** The named members' bytes, after the archive's SHA-256 matched; fails with a message naming the file. */
    public static Map<String, byte[]> extract(Path archive, String expectedSha256, List<String> members) {
        Path file = expand(archive);
        String expected = expectedSha256.isEmpty() ? fromSums(file) : expectedSha256;
        Map<String, byte[]> found = new HashMap<>();
        try (DigestInputStream digest = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"));
             InputStream tar = new GZIPInputStream(digest, 1 << 16)) {
            readTar(tar, members, found);
            tar.transferTo(OutputStreamDiscard.INSTANCE);
            String actual = HexFormat.of().formatHex(digest.getMessageDigest().digest());
            if (!actual.equals(expected)) {
                throw new StepFailure(file + ": SHA-256 is " + actual + ", expected " + expected
                        + "; the archive is damaged or not the release it claims to be");
            }
        } catch (IOException e) {
            throw new StepFailure(file + ": cannot read the archive: " + e.getMessage());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String member : members) {
            if (!found.containsKey(member)) {
                throw new StepFailure(file + ": has no file named " + member);
            }
        }
        return found;
    }

    private static void readTar(InputStream tar, List<String> members, Map<String, byte[]> found) throws IOException {
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
            if ((type == '0' || type == 0) && members.contains(base) && size < Integer.MAX_VALUE) {
                byte[] content = new byte[(int) size];
                in.readFully(content);
                found.put(base, content);
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
                    return parts[0].toLowerCase(java.util.Locale.ROOT);
                }
            }
            throw new StepFailure(sums + ": has no line for " + archive.getFileName()
                    + "; set etcd.archiveSha256 or download the release's SHA256SUMS beside the archive");
        } catch (IOException e) {
            throw new StepFailure(sums + ": cannot read it (" + e.getMessage() + "); set etcd.archiveSha256 or"
                    + " download the release's SHA256SUMS beside the archive");
        }
    }

    static Path expand(Path path) {
        String text = path.toString();
        return text.startsWith("~/") ? Path.of(System.getProperty("user.home"), text.substring(2)) : path;
    }

    /** Discards bytes: the rest of the archive is read only so that its digest covers every byte. */
    private static final class OutputStreamDiscard extends java.io.OutputStream {
        static final OutputStreamDiscard INSTANCE = new OutputStreamDiscard();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
