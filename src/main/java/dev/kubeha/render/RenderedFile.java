package dev.kubeha.render;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
