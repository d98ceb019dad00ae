package dev.kubeha.state;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** OpenSSH StrictModes for kubeha's own paths: real directories and files of this user that nobody else can change. */
public final class StrictModes {
    public static final int GROUP_OR_OTHERS_ANY = 0077;
    public static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;
    private static final int ROOT_UID = 0;

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final int uid;

    public StrictModes(int uid) {
        this.uid = uid;
    }

    /** The checks for the user this process runs as (its effective uid). */
    public static StrictModes forThisProcess() {
        try {
            return new StrictModes((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new StateException("cannot tell which user kubeha runs as (/proc/self): " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code dir} (0700, with any missing parents) if it is missing, then requires it to be a directory, not
     * a link, owned by this user, with none of the {@code forbidden} mode bits.
     */
    public Path ownDirectory(Path dir, int forbidden, String what) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new StateException("cannot create " + what + " " + dir + ": " + e.getMessage(), e);
        }
        checkOwn(dir, true, forbidden, what);
        return dir;
    }

    /** Requires an existing file to be a regular file, not a link, owned by this user, without the forbidden bits. */
    public void ownFile(Path file, int forbidden, String what) throws NoSuchFileException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(file.toString());
        }
        checkOwn(file, false, forbidden, what);
    }

    /** Creates {@code file} empty with mode 0600, or makes an existing one (a real file of this user) 0600. */
    public Path ownPrivateFile(Path file, String what) {
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.newByteChannel(file, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                            PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)).close();
                } catch (FileAlreadyExistsException raced) {
                    // created concurrently; checked below like any existing file
                }
            }
            checkOwn(file, false, 0, what);
            Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(OWNER_ONLY_FILE);
            return file;
        } catch (IOException e) {
            throw new StateException("cannot create " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Requires every directory above {@code path} (links resolved) to belong to root or this user and to be
     * writable by others only with the sticky bit, so nobody else can rename or replace what is below.
     */
    public void parents(Path path, String what) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        try {
            for (Path p = parent.toRealPath(); p != null; p = p.getParent()) {
                int owner = (Integer) Files.getAttribute(p, "unix:uid");
                int mode = (Integer) Files.getAttribute(p, "unix:mode");
                if (owner != ROOT_UID && owner != uid) {
                    throw new StateException(p + " is owned by uid " + owner + ", not by you (uid " + uid
                            + ") or root, so its owner could replace " + what + " " + path + " inside it;"
                            + " choose a directory of your own");
                }
                if ((mode & OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
                    throw new StateException(p + " is writable by others (mode " + octal(mode)
                            + ") without the sticky bit, so anyone could replace " + what + " " + path
                            + " inside it; choose a directory of your own");
                }
            }
        } catch (IOException e) {
            throw new StateException("cannot check the directories above " + path + ": " + e.getMessage(), e);
        }
    }

    private void checkOwn(Path path, boolean directory, int forbidden, String what) {
        String kind = directory ? "directory" : "file";
        try {
            if (Files.isSymbolicLink(path)) {
                throw new StateException(what + " " + path + " is a symbolic link; kubeha uses only a real " + kind
                        + " there. Remove the link or choose another path");
            }
            if (directory ? !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    : !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new StateException(what + " " + path + " is not a " + kind);
            }
            int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != uid) {
                throw new StateException(what + " " + path + " is owned by uid " + owner + ", not by you (uid " + uid
                        + "); kubeha trusts only its own state. Choose another path");
            }
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & forbidden) != 0) {
                String fix = "chmod " + (directory ? (forbidden == GROUP_OR_OTHERS_ANY ? "700" : "go-w")
                        : (forbidden == GROUP_OR_OTHERS_ANY ? "600" : "go-w"));
                throw new StateException(what + " " + path + " is " + (forbidden == GROUP_OR_OTHERS_WRITE
                        ? "writable by group or others" : "accessible by group or others") + " (mode "
                        + octal(mode) + "). Run '" + fix + " " + path + "' if nobody else has used it,"
                        + " or choose another path");
            }
        } catch (IOException e) {
            throw new StateException("cannot check " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }
}
