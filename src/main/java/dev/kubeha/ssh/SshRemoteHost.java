package dev.kubeha.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * The sshj {@link RemoteHost}: one persistent connection, a session per command, SFTP uploads; after a dropped
 * connection it reconnects once and repeats only idempotent work (probes, uploads, reads), never a started change.
 */
public final class SshRemoteHost implements RemoteHost {
    private static final int EXIT_ABSENT = 3;
    private static final int EXIT_TIMEOUT = 124;
    private static final int EXIT_TIMEOUT_KILLED = 137;
    private static final int KILL_AFTER_SECONDS = 5;
    private static final Duration CLIENT_GRACE = Duration.ofSeconds(2);
    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(5);
    private static final int SFTP_CHUNK = 32 * 1024;
    private static final Pattern OWNER = Pattern.compile("[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SshTarget target;
    private final SshSettings settings;
    private final Config config;
    private final KeyFiles keyFiles;
    private final SshAgent agent;
    private SSHClient client;
    private SSHClient jump;
    private SudoMode sudo;
    private char[] sudoPassword;

    private enum SudoMode { NONE, PASSWORDLESS, PASSWORD }

    SshRemoteHost(SshTarget target, SshSettings settings, Config config, KeyFiles keyFiles, SshAgent agent) {
        this.target = target;
        this.settings = settings;
        this.config = config;
        this.keyFiles = keyFiles;
        this.agent = agent;
    }

    @Override
    public String where() {
        return target.where();
    }

    @Override
    public synchronized void connect() throws SshException {
        if (client != null && client.isConnected() && client.isAuthenticated()) {
            return;
        }
        disconnect();
        try {
            if (target.bastion().isPresent()) {
                jump = open(target.bastion().get(), null);
            }
            client = open(target, jump);
            if (sudo == null) {
                sudo = detectSudo();
            }
        } catch (SshException e) {
            disconnect();
            throw e;
        }
    }

    @Override
    public synchronized ExecResult run(RemoteCommand command, Consumer<OutputLine> output) throws SshException {
        String what = "running: " + SshException.brief(command.script());
        Raw raw = withConnection(command.idempotent(), what,
                () -> exec(rootLine(command.script(), command.timeout()), sudoStdin(), command.timeout(), output,
                        command.script()));
        return new ExecResult(command.script(), raw.exit, text(raw.out), text(raw.err), raw.duration);
    }

    @Override
    public synchronized void upload(byte[] content, String path, int mode, String owner) throws SshException {
        checkUpload(path, mode, owner);
        withConnection(true, "uploading " + path,
                () -> uploadOnce(() -> new java.io.ByteArrayInputStream(content), path, mode, owner));
    }

    @Override
    public synchronized void upload(Path source, String path, int mode, String owner) throws SshException {
        checkUpload(path, mode, owner);
        withConnection(true, "uploading " + path, () -> uploadOnce(() -> Files.newInputStream(source), path, mode,
                owner));
    }

    private static void checkUpload(String path, int mode, String owner) {
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("\n") || path.contains("\0")) {
            throw new IllegalArgumentException("not an absolute file path: " + path);
        }
        if (!OWNER.matcher(owner).matches()) {
            throw new IllegalArgumentException("not an owner (user or user:group): " + owner);
        }
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("not a file mode: " + Integer.toOctalString(mode));
        }
    }

    /** Where an upload's content comes from; opened once per attempt. */
    private interface Source {
        InputStream open() throws IOException;
    }

    /** Reading the local side of an upload failed: not the connection's fault, so not worth a reconnect. */
    private static final class LocalReadFailed extends RuntimeException {
        LocalReadFailed(IOException cause) {
            super(cause);
        }
    }

    @Override
    public synchronized Optional<byte[]> read(String path) throws SshException {
        String script = "[ -e " + quote(path) + " ] || exit " + EXIT_ABSENT + "\nexec cat -- " + quote(path);
        Raw raw = withConnection(true, "reading " + path,
                () -> exec(rootLine(script, FILE_TIMEOUT), sudoStdin(), FILE_TIMEOUT, line -> { }, "reading " + path));
        if (raw.exit == EXIT_ABSENT) {
            return Optional.empty();
        }
        if (raw.exit != 0) {
            throw new SshException.FileFailed(where(), "cannot read " + path + ": " + firstLine(raw.err), null);
        }
        return Optional.of(raw.out);
    }

    @Override
    public synchronized void close() {
        disconnect();
        if (sudoPassword != null) {
            Arrays.fill(sudoPassword, '\0');
            sudoPassword = null;
        }
        sudo = null;
    }

    private interface Operation<T> {
        T run() throws SshException, Dropped;
    }

    /** The connection failed under an operation; {@code started} when the host may have acted on it. */
    private static final class Dropped extends Exception {
        final boolean started;

        Dropped(boolean started, IOException cause) {
            super(cause);
            this.started = started;
        }
    }

    /** The connection itself broke, though the client may not have noticed yet (a race with its reader thread). */
    private static boolean brokenTransport(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof net.schmizz.sshj.transport.TransportException) {
                return true;
            }
        }
        return false;
    }

    private record Raw(int exit, byte[] out, byte[] err, Duration duration) {
    }

    private <T> T withConnection(boolean repeatable, String what, Operation<T> operation) throws SshException {
        connect();
        try {
            return operation.run();
        } catch (Dropped dropped) {
            disconnect();
            if (dropped.started && !repeatable) {
                throw new SshException.ConnectionLost(where(), "connection lost while " + what
                        + "; it may or may not have taken effect", dropped.getCause());
            }
        }
        connect();
        try {
            return operation.run();
        } catch (Dropped again) {
            disconnect();
            throw new SshException.ConnectionLost(where(), "connection lost twice while " + what, again.getCause());
        }
    }

    private SSHClient open(SshTarget t, SSHClient via) throws SshException {
        boolean asked = false;
        while (true) {
            HostKeyCheck check = new HostKeyCheck(settings.knownHosts());
            SSHClient c = new SSHClient(config);
            c.setConnectTimeout(millis(settings.connectTimeout()));
            c.setTimeout(millis(settings.authTimeout()));
            c.getTransport().setTimeoutMs(millis(settings.authTimeout()));
            c.getConnection().setTimeoutMs(millis(settings.authTimeout()));
            c.addHostKeyVerifier(check);
            try {
                if (via == null) {
                    c.connect(t.host(), t.port());
                } else {
                    c.connectVia(via.newDirectConnection(t.host(), t.port()), t.host(), t.port());
                }
                c.getConnection().getKeepAlive().setKeepAliveInterval((int) settings.keepAlive().toSeconds());
            } catch (IOException e) {
                quietly(c);
                Optional<HostKeyCheck.Refusal> refusal = check.refusal();
                if (refusal.isEmpty()) {
                    throw unreachable(t, via != null, e);
                }
                if (refusal.get() instanceof HostKeyCheck.Refusal.Changed changed) {
                    throw new SshException.HostKeyChanged(t.host(), t.where(), KnownHosts.keyType(changed.key()),
                            changed.known(), KnownHosts.fingerprint(changed.key()));
                }
                var unknown = (HostKeyCheck.Refusal.Unknown) refusal.get();
                String type = KnownHosts.keyType(unknown.key());
                String fingerprint = KnownHosts.fingerprint(unknown.key());
                if (asked || settings.hostKeyPolicy().decide(new HostKeyPolicy.UnknownKey(unknown.host(),
                        unknown.port(), type, fingerprint)) != HostKeyPolicy.Decision.ACCEPT) {
                    throw new SshException.HostKeyUnknown(t.where(), type, fingerprint);
                }
                asked = true;
                try {
                    settings.knownHosts().remember(unknown.host(), unknown.port(), unknown.key());
                } catch (IOException io) {
                    throw new SshException.Unreachable(t.where(), "cannot record the host key in "
                            + settings.knownHosts().stateFile() + ": " + io.getMessage(), io);
                }
                continue;
            }
            authenticate(c, t);
            if (c.getSocket() != null) {
                try {
                    c.getSocket().setSoTimeout(0);
                } catch (IOException e) {
                    quietly(c);
                    throw unreachable(t, via != null, e);
                }
            }
            return c;
        }
    }

    private SshException unreachable(SshTarget t, boolean viaBastion, IOException e) {
        return new SshException.Unreachable(t.where(), cause(e, viaBastion, settings.connectTimeout(),
                settings.authTimeout()), e);
    }

    /** Why a connection failed, in the words of its real cause: a socket error is never called a handshake failure. */
    static String cause(IOException e, boolean viaBastion, java.time.Duration connect, java.time.Duration auth) {
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof java.net.SocketException)
                && !(root instanceof SocketTimeoutException) && !(root instanceof UnknownHostException)) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage()).replaceFirst(" \\(connect failed\\)$", "")
                .toLowerCase(java.util.Locale.ROOT);
        return switch (root) {
            case ConnectException c when message.contains("timed out") ->
                    "connect timed out after " + connect.toSeconds() + " s";
            case ConnectException c when message.contains("refused") || message.equals("null") ->
                    "connection refused";
            case NoRouteToHostException n -> "no route to host";
            case SocketTimeoutException s when message.contains("onnect") ->
                    "connect timed out after " + connect.toSeconds() + " s";
            case SocketTimeoutException s -> "no SSH handshake within " + auth.toSeconds() + " s";
            case UnknownHostException u -> "unknown host name";
            case OpenFailException o -> "the bastion could not open a connection: " + o.getMessage();
            case java.net.SocketException x -> message;
            default -> (viaBastion ? "tunnel through the bastion failed: " : "SSH handshake failed: ")
                    + e.getMessage();
        };
    }

    private void authenticate(SSHClient c, SshTarget t) throws SshException {
        List<AuthMethod> methods = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        Secrets secrets = new Secrets();
        try {
            if (t.identityFile().isPresent()) {
                try {
                    methods.add(new AuthPublickey(keyFiles.provider(c, t.identityFile().get())));
                    tried.add("publickey " + t.identityFile().get());
                } catch (IOException e) {
                    quietly(c);
                    throw new SshException.AuthFailed(t.where(), t.user(), tried, List.of(),
                            "cannot read identity file " + t.identityFile().get() + ": " + e.getMessage());
                }
            } else {
                List<SshAgent.Identity> identities = agent == null ? List.of() : agent.identities();
                for (SshAgent.Identity identity : identities) {
                    methods.add(new AgentAuth(agent, identity));
                }
                if (!identities.isEmpty()) {
                    tried.add("publickey (ssh-agent, " + identities.size() + " keys)");
                }
                methods.add(new AuthPassword(secrets.finder(SecretPrompt.Kind.LOGIN_PASSWORD, t)));
                tried.add("password");
            }
            c.auth(t.user(), methods);
        } catch (UserAuthException e) {
            List<String> allowed = List.copyOf(c.getUserAuth().getAllowedMethods());
            quietly(c);
            throw new SshException.AuthFailed(t.where(), t.user(), tried, allowed, authDetail(e));
        } catch (IOException e) {
            quietly(c);
            throw new SshException.Unreachable(t.where(), "connection dropped during authentication: "
                    + e.getMessage(), e);
        } finally {
            secrets.forget();
        }
    }

    private static String authDetail(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase();
            if (cause.getClass().getSimpleName().contains("KeyDecryption") || message.contains("passphrase")
                    || message.contains("decrypt")) {
                return "the key file could not be decrypted (wrong or missing passphrase)";
            }
        }
        return "";
    }

    /** Passwords handed to sshj during one authentication, cleared when it ends. */
    private final class Secrets {
        private final List<char[]> handedOut = new ArrayList<>();

        PasswordFinder finder(SecretPrompt.Kind kind, SshTarget t) {
            return new PasswordFinder() {
                @Override
                public char[] reqPassword(Resource<?> resource) {
                    char[] secret = settings.prompt().ask(new SecretPrompt.Request(kind, t.user(), t.where(), ""))
                            .orElse(null);
                    if (secret != null) {
                        handedOut.add(secret);
                    }
                    return secret;
                }

                @Override
                public boolean shouldRetry(Resource<?> resource) {
                    return false;
                }
            };
        }

        void forget() {
            handedOut.forEach(secret -> Arrays.fill(secret, '\0'));
        }
    }

    private SudoMode detectSudo() throws SshException {
        if (target.root()) {
            return SudoMode.NONE;
        }
        Raw passwordless = connectStep(() -> exec("sudo -n true", null, settings.authTimeout(), line -> { },
                "sudo -n true"));
        if (passwordless.exit == 0) {
            return SudoMode.PASSWORDLESS;
        }
        String refusal = firstLine(passwordless.err);
        if (!refusal.contains("password is required")) {
            throw new SshException.SudoFailed(where(), "user " + target.user() + " cannot use sudo: " + refusal);
        }
        char[] password = settings.prompt().ask(new SecretPrompt.Request(SecretPrompt.Kind.SUDO_PASSWORD,
                target.user(), where(), "")).orElseThrow(() -> new SshException.SudoFailed(where(),
                "sudo needs a password for user " + target.user() + " and none was given"));
        Raw check = connectStep(() -> exec("sudo -S -p '' true", passwordLine(password), settings.authTimeout(),
                line -> { }, "sudo -S true"));
        if (check.exit != 0) {
            Arrays.fill(password, '\0');
            throw new SshException.SudoFailed(where(), "sudo did not accept the password for user "
                    + target.user() + " (" + firstLine(check.err) + ")");
        }
        sudoPassword = password;
        return SudoMode.PASSWORD;
    }

    private Raw connectStep(Operation<Raw> step) throws SshException {
        try {
            return step.run();
        } catch (Dropped dropped) {
            throw new SshException.Unreachable(where(), "connection dropped while checking sudo",
                    dropped.getCause());
        }
    }

    private byte[] sudoStdin() {
        return sudo == SudoMode.PASSWORD ? passwordLine(sudoPassword) : null;
    }

    private static byte[] passwordLine(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] line = new byte[encoded.remaining() + 1];
        encoded.get(line, 0, line.length - 1);
        line[line.length - 1] = '\n';
        Arrays.fill(encoded.array(), (byte) 0);
        return line;
    }

    /** The command line that runs {@code script} as root, stdin closed, killed on the host after the timeout. */
    private String rootLine(String script, Duration timeout) {
        String timed = "timeout -k " + KILL_AFTER_SECONDS + " " + timeout.toSeconds() + " sh -c "
                + quote("exec </dev/null\n" + script);
        return switch (sudo) {
            case NONE -> timed;
            case PASSWORDLESS -> "sudo -n -- " + timed;
            case PASSWORD -> "sudo -S -p '' -- " + timed;
        };
    }

    private Raw exec(String line, byte[] stdin, Duration timeout, Consumer<OutputLine> output, String shown)
            throws SshException, Dropped {
        long start = System.nanoTime();
        long deadline = start + timeout.plus(CLIENT_GRACE).toNanos();
        Session session;
        try {
            session = client.startSession();
        } catch (IOException e) {
            wipe(stdin);
            throw new Dropped(false, e);
        } catch (IllegalStateException notConnected) {
            // The connection dropped after connect() and before the session: nothing was sent yet.
            wipe(stdin);
            throw new Dropped(false, new IOException(notConnected.getMessage(), notConnected));
        }
        try {
            Session.Command command;
            try {
                command = session.exec(line);
                try (OutputStream in = command.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin);
                    }
                }
            } catch (IOException e) {
                throw new Dropped(true, e);
            } finally {
                wipe(stdin);
            }
            Lines out = new Lines(OutputLine.Pipe.STDOUT, output);
            Lines err = new Lines(OutputLine.Pipe.STDERR, output);
            byte[] buffer = new byte[8192];
            try {
                while (true) {
                    boolean ended = command.isEOF() || !command.isOpen();
                    boolean moved = drain(command.getInputStream(), out, buffer)
                            | drain(command.getErrorStream(), err, buffer);
                    if (ended && !moved) {
                        break;
                    }
                    if (!client.isConnected()) {
                        throw new Dropped(true, new IOException("connection closed"));
                    }
                    if (System.nanoTime() > deadline) {
                        kill(command);
                        throw new SshException.CommandTimedOut(where(), shown, timeout);
                    }
                    if (!moved) {
                        Thread.sleep(5);
                    }
                }
                command.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(command);
                Thread.currentThread().interrupt();
                throw new SshException.Interrupted(where(), shown);
            } catch (IOException e) {
                if (!client.isConnected() || brokenTransport(e)) {
                    throw new Dropped(true, e);
                }
                throw new SshException.ConnectionLost(where(), "command channel failed: " + e.getMessage(), e);
            }
            out.finish();
            err.finish();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int exit = exitCode(command);
            if ((exit == EXIT_TIMEOUT || exit == EXIT_TIMEOUT_KILLED) && took.compareTo(timeout) >= 0) {
                throw new SshException.CommandTimedOut(where(), shown, timeout);
            }
            if (exit < 0 && !client.isConnected()) {
                throw new Dropped(true, new IOException("connection closed before the exit status arrived"));
            }
            return new Raw(exit, out.bytes(), err.bytes(), took);
        } finally {
            quietly(session);
        }
    }

    private static int exitCode(Session.Command command) {
        Integer status = command.getExitStatus();
        if (status != null) {
            return status;
        }
        Signal signal = command.getExitSignal();
        return signal == null ? -1 : 128 + switch (signal) {
            case HUP -> 1;
            case INT -> 2;
            case QUIT -> 3;
            case ILL -> 4;
            case ABRT -> 6;
            case FPE -> 8;
            case KILL -> 9;
            case SEGV -> 11;
            case PIPE -> 13;
            case ALRM -> 14;
            case TERM -> 15;
            case USR1 -> 10;
            case USR2 -> 12;
            case UNKNOWN -> 0;
        };
    }

    private static boolean drain(InputStream in, Lines lines, byte[] buffer) throws IOException {
        boolean moved = false;
        int available;
        while ((available = in.available()) > 0) {
            int n = in.read(buffer, 0, Math.min(available, buffer.length));
            if (n <= 0) {
                break;
            }
            lines.accept(buffer, n);
            moved = true;
        }
        return moved;
    }

    private static void kill(Session.Command command) {
        try {
            command.signal(Signal.KILL);
        } catch (IOException ignored) {
            // the host-side timeout kills the command even when the signal request is not delivered
        }
        quietly(command);
    }

    /** Splits one output stream into lines for the consumer while keeping every byte. */
    private static final class Lines {
        private final OutputLine.Pipe pipe;
        private final Consumer<OutputLine> consumer;
        private final ByteArrayOutputStream all = new ByteArrayOutputStream();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(OutputLine.Pipe pipe, Consumer<OutputLine> consumer) {
            this.pipe = pipe;
            this.consumer = consumer;
        }

        void accept(byte[] buffer, int n) {
            all.write(buffer, 0, n);
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    emit();
                } else {
                    line.write(buffer[i]);
                }
            }
        }

        void finish() {
            if (line.size() > 0) {
                emit();
            }
        }

        byte[] bytes() {
            return all.toByteArray();
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            consumer.accept(new OutputLine(pipe, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text));
        }
    }

    private Void uploadOnce(Source source, String path, int mode, String owner) throws SshException, Dropped {
        int slash = path.lastIndexOf('/');
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        String suffix = HexFormat.of().formatHex(randomBytes());
        String staged;
        try (SFTPClient sftp = client.newSFTPClient()) {
            staged = target.root() ? (dir.equals("/") ? "" : dir) + "/." + name + ".kubeha-" + suffix
                    : sftp.canonicalize(".") + "/.kubeha-upload-" + suffix;
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
                    // the staged file is private (0600) and named as kubeha's; the next upload replaces the target
                }
                throw e;
            }
        } catch (LocalReadFailed e) {
            throw new SshException.FileFailed(where(), "cannot upload " + path + ": cannot read its content: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (SFTPException e) {
            if (!client.isConnected()) {
                throw new Dropped(true, e);
            }
            throw new SshException.FileFailed(where(), "cannot upload " + path + ": " + e.getMessage()
                    + " (" + e.getStatusCode() + ")", e);
        } catch (IOException e) {
            throw new Dropped(true, e);
        }
        String modeText = String.format("%04o", mode);
        String script;
        if (target.root()) {
            script = "chown " + owner + " " + quote(staged) + " && chmod " + modeText + " " + quote(staged)
                    + " && mv -f " + quote(staged) + " " + quote(path) + " || { rc=$?; rm -f " + quote(staged)
                    + "; exit $rc; }";
        } else {
            script = "tmp=$(mktemp " + quote(dir + "/." + name + ".XXXXXXXX") + ") || { rm -f " + quote(staged)
                    + "; exit 1; }\ncat " + quote(staged) + " > \"$tmp\" && chown " + owner + " \"$tmp\" && chmod "
                    + modeText + " \"$tmp\" && mv -f \"$tmp\" " + quote(path) + "\nrc=$?\nrm -f " + quote(staged)
                    + "\n[ $rc -eq 0 ] || rm -f \"$tmp\"\nexit $rc";
        }
        Raw raw = exec(rootLine(script, FILE_TIMEOUT), sudoStdin(), FILE_TIMEOUT, line -> { },
                "installing " + path);
        if (raw.exit != 0) {
            throw new SshException.FileFailed(where(), "cannot install " + path + ": " + firstLine(raw.err), null);
        }
        return null;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private synchronized void disconnect() {
        if (client != null) {
            quietly(client);
            client = null;
        }
        if (jump != null) {
            quietly(jump);
            jump = null;
        }
    }

    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String firstLine(byte[] bytes) {
        return text(bytes).strip().lines().findFirst().orElse("no message");
    }

    private static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing a connection or channel that is already gone
        }
    }
}
