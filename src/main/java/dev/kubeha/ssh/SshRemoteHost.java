package dev.kubeha.ssh;

import dev.kubeha.model.ShellQuote;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;

/**
 * The sshj {@link RemoteHost}: one persistent connection, a session per command (several may run at once, one per lane
 * of the host's work), SFTP uploads; after a dropped connection it reconnects once and repeats only idempotent work
 * (probes, uploads, reads), never a started change.
 */
public final class SshRemoteHost implements RemoteHost {
    private static final int EXIT_ABSENT = 3;
    private static final int KILL_AFTER_SECONDS = 5;
    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern OWNER = Pattern.compile("[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?");

    private final SshTarget target;
    private final SshSettings settings;
    private final SshConnector connector;
    private SSHClient client;
    private SSHClient jump;
    private SudoMode sudo;
    private char[] sudoPassword;

    private enum SudoMode { NONE, PASSWORDLESS, PASSWORD }

    SshRemoteHost(SshTarget target, SshSettings settings, Config config, KeyFiles keyFiles, SshAgent agent) {
        this.target = target;
        this.settings = settings;
        this.connector = new SshConnector(settings, config, keyFiles, agent);
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
                jump = connector.open(target.bastion().get(), null);
            }
            client = connector.open(target, jump);
            if (sudo == null) {
                sudo = detectSudo();
            }
        } catch (SshException e) {
            disconnect();
            throw e;
        }
    }

    @Override
    public ExecResult run(RemoteCommand command, Consumer<OutputLine> output) throws SshException {
        String what = "running: " + SshException.brief(command.script());
        CommandChannel.Result raw = withConnection(command.idempotent(), what,
                on -> exec(on, rootLine(command.script(), command.timeout()), sudoStdin(), command.timeout(), output,
                        command.script()));
        return new ExecResult(command.script(), raw.exit(), text(raw.out()), text(raw.err()), raw.duration());
    }

    @Override
    public void upload(byte[] content, String path, int mode, String owner) throws SshException {
        checkUpload(path, mode, owner);
        withConnection(true, "uploading " + path,
                on -> uploadOnce(on, () -> new ByteArrayInputStream(content), path, mode, owner));
    }

    @Override
    public void upload(Path source, String path, int mode, String owner) throws SshException {
        checkUpload(path, mode, owner);
        withConnection(true, "uploading " + path, on -> uploadOnce(on, () -> Files.newInputStream(source), path,
                mode, owner));
    }

    private Void uploadOnce(SSHClient on, SftpUpload.Source source, String path, int mode, String owner)
            throws SshException, Dropped {
        String staged = SftpUpload.stage(on, where(), source, path);
        CommandChannel.Result raw = exec(on, rootLine(SftpUpload.installScript(staged, path, mode, owner), FILE_TIMEOUT),
                sudoStdin(), FILE_TIMEOUT, line -> { }, "installing " + path);
        if (raw.exit() != 0) {
            throw new SshException.FileFailed(where(), "cannot upload " + path + ": " + firstLine(raw.err()), null);
        }
        return null;
    }

    private CommandChannel.Result exec(SSHClient on, String line, byte[] stdin, Duration timeout,
                                       Consumer<OutputLine> output, String shown) throws SshException, Dropped {
        return new CommandChannel(on, where()).exec(line, stdin, timeout, output, shown);
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

    @Override
    public Optional<byte[]> read(String path) throws SshException {
        String script = "[ -e " + ShellQuote.quote(path) + " ] || exit " + EXIT_ABSENT + "\nexec cat -- " + ShellQuote.quote(path);
        CommandChannel.Result raw = withConnection(true, "reading " + path,
                on -> exec(on, rootLine(script, FILE_TIMEOUT), sudoStdin(), FILE_TIMEOUT, line -> { },
                        "reading " + path));
        if (raw.exit() == EXIT_ABSENT) {
            return Optional.empty();
        }
        if (raw.exit() != 0) {
            throw new SshException.FileFailed(where(), "cannot read " + path + ": " + firstLine(raw.err()), null);
        }
        return Optional.of(raw.out());
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
        T run(SSHClient on) throws SshException, Dropped;
    }

    private interface ConnectStep<T> {
        T run() throws SshException, Dropped;
    }

    /** Runs the operation on the connection, outside this object's lock, so other lanes' commands run beside it. */
    private <T> T withConnection(boolean repeatable, String what, Operation<T> operation) throws SshException {
        SSHClient on = connected();
        try {
            return operation.run(on);
        } catch (Dropped dropped) {
            dropConnection(on);
            if (dropped.started && !repeatable) {
                throw new SshException.ConnectionLost(where(), "connection lost while " + what
                        + "; it may or may not have taken effect", dropped.getCause());
            }
        }
        on = connected();
        try {
            return operation.run(on);
        } catch (Dropped again) {
            dropConnection(on);
            throw new SshException.ConnectionLost(where(), "connection lost twice while " + what, again.getCause());
        }
    }

    private synchronized SSHClient connected() throws SshException {
        connect();
        return client;
    }

    /** Closes the connection that dropped, unless another command already replaced it. */
    private synchronized void dropConnection(SSHClient dropped) {
        if (client == dropped) {
            disconnect();
        }
    }

    private SudoMode detectSudo() throws SshException {
        if (target.root()) {
            return SudoMode.NONE;
        }
        CommandChannel.Result passwordless = connectStep(() -> exec(client, "sudo -n true", null, settings.authTimeout(), line -> { },
                "sudo -n true"));
        if (passwordless.exit() == 0) {
            return SudoMode.PASSWORDLESS;
        }
        String refusal = firstLine(passwordless.err());
        if (!refusal.contains("password is required")) {
            throw new SshException.SudoFailed(where(), "user " + target.user() + " cannot use sudo: " + refusal);
        }
        char[] password = settings.prompt().ask(new SecretPrompt.Request(SecretPrompt.Kind.SUDO_PASSWORD,
                target.user(), where(), "")).orElseThrow(() -> new SshException.SudoFailed(where(),
                "sudo needs a password for user " + target.user() + " and none was given"));
        CommandChannel.Result check = connectStep(() -> exec(client, "sudo -S -p '' true", passwordLine(password), settings.authTimeout(),
                line -> { }, "sudo -S true"));
        if (check.exit() != 0) {
            Arrays.fill(password, '\0');
            throw new SshException.SudoFailed(where(), "sudo did not accept the password for user "
                    + target.user() + " (" + firstLine(check.err()) + ")");
        }
        sudoPassword = password;
        return SudoMode.PASSWORD;
    }

    private CommandChannel.Result connectStep(ConnectStep<CommandChannel.Result> step) throws SshException {
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
                + ShellQuote.quote("exec </dev/null\n" + script);
        return switch (sudo) {
            case NONE -> timed;
            case PASSWORDLESS -> "sudo -n -- " + timed;
            case PASSWORD -> "sudo -S -p '' -- " + timed;
        };
    }

    private synchronized void disconnect() {
        if (client != null) {
            SshConnector.quietly(client);
            client = null;
        }
        if (jump != null) {
            SshConnector.quietly(jump);
            jump = null;
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String firstLine(byte[] bytes) {
        return text(bytes).strip().lines().findFirst().orElse("no message");
    }
}
