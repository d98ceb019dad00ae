package dev.kubeha.model;

import java.nio.file.Path;

/** A path on the jump host as an answers file writes it: absolute, or starting with ~/ for the operator's home. */
public final class JumpHostPath {
    private JumpHostPath() {
    }

    public static Path of(String path) {
        return of(path, Path.of(System.getProperty("user.home")));
    }

    public static Path of(String path, Path home) {
        return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }
}
