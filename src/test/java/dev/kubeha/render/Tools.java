package dev.kubeha.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real tool for a test and returns its exit code and combined output; a missing tool fails the test. */
final class Tools {
    record Result(int exit, String output) {
    }

    private Tools() {
    }

    static Result run(List<String> command) {
        try {
            Path log = Files.createTempFile("kubeha-tool", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out: " + command);
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * keepalived -t on a config, in a fresh network namespace holding only the interface nic, so the check runs on
     * no real network; empty when it passes without a word, else what keepalived printed.
     */
    static String keepalivedComplaints(Path config, String nic) {
        String out = run(List.of("unshare", "--net", "sh", "-c", "ip link add " + nic
                + " type veth peer name kubeha-peer && ip link set " + nic + " up && keepalived -t -f " + config
                + "; echo \"exit=$?\"")).output();
        String version = run(List.of("keepalived", "--version")).output();
        // keepalived 2.2.7 ends a passing test by killing itself (acassen/keepalived #2587, fixed in 2.2.8).
        boolean passed = out.contains("exit=0") || (out.contains("exit=143") && version.contains("v2.2.7"));
        boolean silent = out.replaceAll("(?m)^exit=\\d+\\n?", "").replace("Terminated\n", "").trim().isEmpty();
        return passed && silent ? "" : out;
    }

    /** Writes a rendered file below root at its host path, with its mode. */
    static Path write(Path root, RenderedFile file) throws IOException {
        Path target = root.resolve(file.path().substring(1));
        Files.createDirectories(target.getParent());
        Files.write(target, file.content());
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                perms(file.mode())));
        return target;
    }

    private static String perms(int mode) {
        String bits = "rwxrwxrwx";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? bits.charAt(i) : '-');
        }
        return s.toString();
    }
}
