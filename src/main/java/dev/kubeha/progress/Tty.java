package dev.kubeha.progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether a standard stream of this process is a terminal, as Linux's /proc/self/fd tells. */
public final class Tty {
    private Tty() {
    }

    /** True or false for a terminal or anything else on file descriptor {@code fd}; empty when /proc cannot say. */
    public static Optional<Boolean> of(int fd) {
        return of(Path.of("/proc/self/fd/" + fd));
    }

    static Optional<Boolean> of(Path link) {
        try {
            String target = Files.readSymbolicLink(link).toString();
            return Optional.of(target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
                    || target.equals("/dev/console"));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
