package dev.kubeha.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;

/** One command on an open connection: its session, stdin, output lines as they come, exit status and time limit. */
final class CommandChannel {
    private static final int EXIT_TIMEOUT = 124;
    private static final int EXIT_TIMEOUT_KILLED = 137;
    private static final Duration CLIENT_GRACE = Duration.ofSeconds(2);

    /** What a command left: its exit status, every byte of its output and how long it ran. */
    record Result(int exit, byte[] out, byte[] err, Duration duration) {
    }

    private final SSHClient client;
    private final String where;

    CommandChannel(SSHClient client, String where) {
        this.client = client;
        this.where = where;
    }

    Result exec(String line, byte[] stdin, Duration timeout, Consumer<OutputLine> output, String shown)
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
                        throw new SshException.CommandTimedOut(where, shown, timeout);
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
                throw new SshException.Interrupted(where, shown);
            } catch (IOException e) {
                if (!client.isConnected() || brokenTransport(e)) {
                    throw new Dropped(true, e);
                }
                throw new SshException.ConnectionLost(where, "command channel failed: " + e.getMessage(), e);
            }
            out.finish();
            err.finish();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int exit = exitCode(command);
            if ((exit == EXIT_TIMEOUT || exit == EXIT_TIMEOUT_KILLED) && took.compareTo(timeout) >= 0) {
                throw new SshException.CommandTimedOut(where, shown, timeout);
            }
            if (exit < 0 && !client.isConnected()) {
                throw new Dropped(true, new IOException("connection closed before the exit status arrived"));
            }
            return new Result(exit, out.bytes(), err.bytes(), took);
        } finally {
            SshConnector.quietly(session);
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
        SshConnector.quietly(command);
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

    /** The connection itself broke, though the client may not have noticed yet (a race with its reader thread). */
    private static boolean brokenTransport(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransportException) {
                return true;
            }
        }
        return false;
    }

    private static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
