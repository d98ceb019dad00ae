package dev.kubeha.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
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

/**
 * The per-cluster state directory (default ~/.kubeha/&lt;cluster name&gt;/): private to the operator, mode 0700, and
 * trusted only when it, its subdirectories and the state root above it are real directories of the operator that
 * nobody else can change (see {@link StrictModes}).
 */
public final class StateDir {
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path root;
    private final StrictModes strict;

    private StateDir(Path root, StrictModes strict) {
        this.root = root.toAbsolutePath().normalize();
        this.strict = strict;
    }

    /** The state directory at an explicit path, e.g. from {@code --state-dir}. */
    public static StateDir at(Path root) {
        return new StateDir(root, StrictModes.forThisProcess());
    }

    /** The state directory as the user {@code uid} would see it. */
    static StateDir at(Path root, int uid) {
        return new StateDir(root, new StrictModes(uid));
    }

    /** The default state directory of a cluster: {@code <home>/.kubeha/<cluster name>}. */
    public static StateDir defaultFor(Path home, String clusterName) {
        if (clusterName == null || clusterName.isEmpty() || clusterName.contains("/") || clusterName.startsWith(".")) {
            throw new StateException("cluster.name '" + clusterName + "' cannot name a state directory;"
                    + " use a plain name such as 'kubernetes' or pass --state-dir");
        }
        return at(home.resolve(".kubeha").resolve(clusterName));
    }

    /** The default state directory of a cluster under the user's home directory. */
    public static StateDir defaultFor(String clusterName) {
        return defaultFor(Path.of(System.getProperty("user.home")), clusterName);
    }

    public Path root() {
        return root;
    }

    /**
     * Creates the state root and this directory (0700) if they are missing, then checks them: no links, owned by
     * the user, the state root not writable by group or others, this directory private, the parents safe.
     */
    public Path ensure() {
        Path stateRoot = root.getParent();
        if (stateRoot != null) {
            StateHome.ensure(stateRoot, strict);
        }
        return strict.ownDirectory(root, StrictModes.GROUP_OR_OTHERS_ANY, "state directory");
    }

    /** A subdirectory of the state directory, each level created 0700 on first use and checked like the root. */
    public Path subdir(String relative) {
        ensure();
        Path dir = root.resolve(relative).normalize();
        if (!dir.startsWith(root) || dir.equals(root)) {
            throw new IllegalArgumentException("not inside the state directory: " + relative);
        }
        Path level = root;
        for (Path name : root.relativize(dir)) {
            level = strict.ownDirectory(level.resolve(name), StrictModes.GROUP_OR_OTHERS_ANY, "state directory");
        }
        return dir;
    }

    /** Reads a state file, or empty when it does not exist yet; refuses a link, a file of another user or others can read. */
    public Optional<byte[]> readPrivate(Path file) {
        try {
            strict.ownFile(file, 0, "state file");
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (hasGroupOrOthers(mode)) {
                throw new StateException(file + " is readable or writable by group or others (mode "
                        + octal(mode) + "); it holds secrets: run 'chmod 600 " + file + "' if nobody else has read it,"
                        + " otherwise remove it so kubeha generates a new one");
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(Channels.newInputStream(channel).readAllBytes());
            }
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
