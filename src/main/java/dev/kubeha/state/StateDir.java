package dev.kubeha.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The per-cluster state directory (default ~/.kubeha/&lt;cluster name&gt;/): private to the operator, mode 0700. */
public final class StateDir {
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path root;

    private StateDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The state directory at an explicit path, e.g. from {@code --state-dir}. */
    public static StateDir at(Path root) {
        return new StateDir(root);
    }

    /** The default state directory of a cluster: {@code <home>/.kubeha/<cluster name>}. */
    public static StateDir defaultFor(Path home, String clusterName) {
        if (clusterName == null || clusterName.isEmpty() || clusterName.contains("/") || clusterName.startsWith(".")) {
            throw new StateException("cluster.name '" + clusterName + "' cannot name a state directory;"
                    + " use a plain name such as 'kubernetes' or pass --state-dir");
        }
        return new StateDir(home.resolve(".kubeha").resolve(clusterName));
    }

    /** The default state directory of a cluster under the user's home directory. */
    public static StateDir defaultFor(String clusterName) {
        return defaultFor(Path.of(System.getProperty("user.home")), clusterName);
    }

    public Path root() {
        return root;
    }

    /** Creates the directory 0700 if it is missing and checks that nobody but its owner can enter it. */
    public Path ensure() {
        return ensurePrivateDir(root);
    }

    /** A subdirectory of the state directory, created 0700 on first use. */
    public Path subdir(String relative) {
        ensure();
        Path dir = root.resolve(relative).normalize();
        if (!dir.startsWith(root)) {
            throw new IllegalArgumentException("not inside the state directory: " + relative);
        }
        return ensurePrivateDir(dir);
    }

    /** Reads a state file, or empty when it does not exist yet; refuses a file others can read. */
    public Optional<byte[]> readPrivate(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new StateException(file + " is not a regular file; kubeha keeps state in plain files");
            }
            if (hasGroupOrOthers(mode)) {
                throw new StateException(file + " is readable or writable by group or others (mode "
                        + octal(mode) + "); it holds secrets: run 'chmod 600 " + file + "' if nobody else has read it,"
                        + " otherwise remove it so kubeha generates a new one");
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a state file with mode 0600 through a temporary file and a rename, so a crash leaves old or new. */
    public void writePrivate(Path file, byte[] content) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(content));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StateException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the rename already happened or the write failed and was reported
                }
            }
        }
    }

    private static Path ensurePrivateDir(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Path parent = dir.getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                }
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                } catch (FileAlreadyExistsException raced) {
                    // created concurrently; checked below like any existing directory
                }
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            }
            if (!Files.isDirectory(dir)) {
                throw new StateException("state directory " + dir + " exists but is not a directory");
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (hasGroupOrOthers(mode)) {
                throw new StateException("state directory " + dir + " is accessible by group or others (mode "
                        + octal(mode) + "); it holds the etcd CA key and the cluster secrets."
                        + " Run 'chmod 700 " + dir + "' if nobody else has read it, or choose another --state-dir");
            }
            return dir;
        } catch (IOException e) {
            throw new StateException("cannot create state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasGroupOrOthers(Set<PosixFilePermission> mode) {
        return mode.stream().anyMatch(GROUP_OR_OTHERS::contains);
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", bits);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
