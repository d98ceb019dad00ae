package dev.kubeha.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/** Host keys kubeha trusts: the state directory's known_hosts (read-write) and the user's (read-only). */
public final class KnownHosts {
    private final Path stateFile;
    private final List<Path> readOnlyFiles;

    public KnownHosts(Path stateFile, List<Path> readOnlyFiles) {
        this.stateFile = stateFile;
        this.readOnlyFiles = List.copyOf(readOnlyFiles);
    }

    /** STATE_DIR/known_hosts plus ~/.ssh/known_hosts. */
    public static KnownHosts standard(Path stateDir, Path home) {
        return new KnownHosts(stateDir.resolve("known_hosts"), List.of(home.resolve(".ssh/known_hosts")));
    }

    public Path stateFile() {
        return stateFile;
    }

    /** How a presented key compares with what the files say. */
    sealed interface Verdict {
        /** Some entry for the host lists exactly this key. */
        record Known() implements Verdict {
        }

        /** No entry for the host and this key type. */
        record Unknown() implements Verdict {
        }

        /** Entries for the host and this key type list other keys. */
        record Changed(List<String> knownFingerprints) implements Verdict {
        }
    }

    synchronized Verdict check(String host, int port, PublicKey key) {
        KeyType type = KeyType.fromKey(key);
        String name = entryName(host, port);
        List<String> others = new ArrayList<>();
        for (OpenSSHKnownHosts file : load()) {
            for (OpenSSHKnownHosts.KnownHostEntry entry : file.entries()) {
                try {
                    if (entry.appliesTo(type, name)) {
                        if (entry.verify(key)) {
                            return new Verdict.Known();
                        }
                        others.add(fingerprintOfLine(entry.getLine()));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return others.isEmpty() ? new Verdict.Unknown()
                : new Verdict.Changed(List.copyOf(new LinkedHashSet<>(others)));
    }

    synchronized List<String> knownAlgorithms(String host, int port) {
        LinkedHashSet<String> algorithms = new LinkedHashSet<>();
        for (OpenSSHKnownHosts file : load()) {
            algorithms.addAll(file.findExistingAlgorithms(host, port));
        }
        return List.copyOf(algorithms);
    }

    /** Appends the key to the state directory's known_hosts (0600, directory 0700). */
    synchronized void remember(String host, int port, PublicKey key) throws IOException {
        Path dir = stateFile.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(stateFile)) {
            Files.createFile(stateFile, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        }
        String line = entryName(host, port) + " " + KeyType.fromKey(key) + " "
                + Base64.getEncoder().encodeToString(blob(key)) + "\n";
        Files.writeString(stateFile, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** OpenSSH's SHA256:base64 fingerprint of a public key. */
    public static String fingerprint(PublicKey key) {
        return fingerprint(blob(key));
    }

    static String keyType(PublicKey key) {
        return KeyType.fromKey(key).toString();
    }

    private List<OpenSSHKnownHosts> load() {
        List<OpenSSHKnownHosts> files = new ArrayList<>();
        List<Path> all = new ArrayList<>();
        all.add(stateFile);
        all.addAll(readOnlyFiles);
        for (Path path : all) {
            if (Files.isRegularFile(path)) {
                try {
                    files.add(new OpenSSHKnownHosts(path.toFile()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path, e);
                }
            }
        }
        return files;
    }

    private static String entryName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    private static String fingerprintOfLine(String line) {
        String[] fields = line.strip().split("\\s+");
        int keyField = fields[0].startsWith("@") ? 3 : 2;
        try {
            return fingerprint(Base64.getDecoder().decode(fields[keyField]));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return "(unreadable entry)";
        }
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    private static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
