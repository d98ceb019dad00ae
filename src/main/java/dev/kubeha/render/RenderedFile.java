package dev.kubeha.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One file as it will exist on one host.
 *
 * @param host the host's name from the answers file
 * @param path absolute path on that host
 * @param mode POSIX permission bits, e.g. 0644, 0600 for keys, 0755 for scripts
 * @param owner owning user on the host (root unless a service user must own it)
 * @param content the exact bytes
 */
public record RenderedFile(String host, String path, int mode, String owner, byte[] content) {
    public RenderedFile {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("host paths are absolute: " + path);
        }
        content = content.clone();
    }

    public static RenderedFile text(String host, String path, int mode, String text) {
        return new RenderedFile(host, path, mode, "root", text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The SHA-256 of the content, hex-encoded, computed without copying it. */
    public String sha256() {
        return sha256(content);
    }

    /** Hex SHA-256 of bytes: the one digest kubeha compares files and downloads by. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RenderedFile f && host.equals(f.host) && path.equals(f.path) && mode == f.mode
                && owner.equals(f.owner) && Arrays.equals(content, f.content);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * host.hashCode() + path.hashCode()) + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return host + ":" + path + " (" + Integer.toOctalString(mode) + ", " + content.length + " bytes)";
    }
}
