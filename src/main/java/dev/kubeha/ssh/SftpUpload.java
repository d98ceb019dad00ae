package dev.kubeha.ssh;

import dev.kubeha.model.ShellQuote;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

/** An upload's two halves: the content staged over SFTP in the login user's home, and the root script installing it. */
final class SftpUpload {
    private static final int SFTP_CHUNK = 32 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SftpUpload() {
    }

    /** Where an upload's content comes from; opened once per attempt. */
    interface Source {
        InputStream open() throws IOException;
    }

    /** Reading the local side of an upload failed: not the connection's fault, so not worth a reconnect. */
    private static final class LocalReadFailed extends RuntimeException {
        LocalReadFailed(IOException cause) {
            super(cause);
        }
    }

    /** Writes the content, 0600, into the login user's home over SFTP; returns the staged file's path. */
    static String stage(SSHClient client, String where, Source source, String path) throws SshException, Dropped {
        String staged;
        try (SFTPClient sftp = client.newSFTPClient()) {
            staged = sftp.canonicalize(".") + "/.kubeha-upload-" + HexFormat.of().formatHex(randomBytes());
            FileAttributes privateFile = new FileAttributes.Builder().withPermissions(0600).build();
            InputStream in;
            try {
                in = source.open();
            } catch (IOException e) {
                throw new LocalReadFailed(e);
            }
            try (in; RemoteFile file = sftp.open(staged, EnumSet.of(OpenMode.CREAT, OpenMode.TRUNC, OpenMode.WRITE),
                    privateFile); OutputStream out = file.new RemoteFileOutputStream(0, 16)) {
                byte[] chunk = new byte[SFTP_CHUNK];
                while (true) {
                    int n;
                    try {
                        n = in.readNBytes(chunk, 0, chunk.length);
                    } catch (IOException e) {
                        throw new LocalReadFailed(e);
                    }
                    if (n <= 0) {
                        break;
                    }
                    out.write(chunk, 0, n);
                }
            } catch (LocalReadFailed e) {
                try {
                    sftp.rm(staged);
                } catch (IOException ignored) {
                    // the staged file is private (0600) in the login user's home; the next upload replaces the target
                }
                throw e;
            }
        } catch (LocalReadFailed e) {
            throw new SshException.FileFailed(where, "cannot upload " + path + ": cannot read its content: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (SFTPException e) {
            if (!client.isConnected()) {
                throw new Dropped(true, e);
            }
            throw new SshException.FileFailed(where, "cannot upload " + path + ": " + e.getMessage()
                    + " (" + e.getStatusCode() + ")", e);
        } catch (IOException e) {
            throw new Dropped(true, e);
        }
        return staged;
    }

    /**
     * The root script that moves a staged upload into place. The file gets its owner and mode inside a fresh
     * directory only root can write (the target's directory when root alone may write there, else the nearest such
     * ancestor on the same file system, else /var/lib/kubeha), and reaches the target by one rename: no service user
     * can swap a link under a root chown, chmod or write, and readers see the old file or the new one, never a part.
     * A target that is a symbolic link is refused.
     */
    static String installScript(String staged, String path, int mode, String owner) {
        int slash = path.lastIndexOf('/');
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        String src = ShellQuote.quote(staged);
        String target = ShellQuote.quote(path);
        return "src=" + src + "\n"
                + "if [ -L " + target + " ]; then echo " + ShellQuote.quote(path
                        + " is a symbolic link; kubeha does not write through links") + " >&2; rm -f -- \"$src\"; exit 1; fi\n"
                + "dev=$(stat -c %d -- " + ShellQuote.quote(dir) + ") || { rm -f -- \"$src\"; exit 1; }\n"
                + "d=" + ShellQuote.quote(dir) + "\n"
                + "until [ ! -L \"$d\" ] && set -- $(stat -c '%u %d %a' -- \"$d\") && [ \"$1 $2\" = \"0 $dev\" ]"
                + " && [ $((0$3 & 022)) -eq 0 ]; do\n"
                + "  if [ \"$d\" = / ]; then d=/var/lib/kubeha; [ ! -L \"$d\" ] && mkdir -p -m 0700 \"$d\""
                + " || { rm -f -- \"$src\"; exit 1; }; break; fi\n"
                + "  d=$(dirname -- \"$d\")\n"
                + "done\n"
                + "st=$(mktemp -d \"$d/.kubeha-upload.XXXXXXXX\") || { rm -f -- \"$src\"; exit 1; }\n"
                + "cat -- \"$src\" > \"$st/f\" && chown -h " + owner + " \"$st/f\" && chmod "
                + String.format("%04o", mode) + " \"$st/f\" && mv -fT -- \"$st/f\" " + target + "\n"
                + "rc=$?\nrm -rf -- \"$st\"\nrm -f -- \"$src\"\nexit $rc";
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
