package dev.kubeha.lab;

import dev.kubeha.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run inside the lab's jump namespace: a real registry on ADDRESS (storage under DIR) holding one tiny image per
 * REFERENCE, pushed with jib-core; prints "ready" once they are in and serves until its standard input closes.
 */
final class LabRegistry {
    static final String READY = "ready";

    private LabRegistry() {
    }

    /** DIR ADDRESS REFERENCE... */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        try (LocalRegistry registry = new LocalRegistry(dir, args[1])) {
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close));
            for (int i = 2; i < args.length; i++) {
                registry.push(args[i], args[i]);
            }
            System.out.println(READY);
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
