package dev.kubeha.tui;

import com.googlecode.lanterna.terminal.ansi.UnixTerminal;
import dev.kubeha.model.ShellQuote;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import sun.misc.Signal;

/**
 * Lanterna's UnixTerminal with Ctrl-C trapped, made quicker to its first frame in three ways:
 * <ul>
 * <li>One child process sets the terminal up instead of five: Lanterna runs {@code stty -g}, {@code stty -icanon},
 * {@code stty min 1}, {@code stty -echo} and {@code stty intr undef} one by one, each a process start (15-30 ms
 * apiece on a busy jump host). Here one shell saves the settings and applies them all; the disabling calls Lanterna
 * then makes while acquiring the terminal are skipped, and closing restores the saved settings as Lanterna would.
 * <li>Output is buffered: Lanterna writes each character of a frame on its own (on System.out, one system call
 * each, ~2,000 for an 80x24 frame), and flushes when a frame is complete. The buffer also lets out the one query
 * Lanterna sends without a flush, the cursor position report it sizes the screen by, before it waits for the answer.
 * <li>The resize signal's handler is a lambda, not Lanterna's reflective {@code Proxy}, whose class is made at run time
 * by the class-file API (its first use costs that API's start-up; the start-up cache keeps lambdas, not proxies).
 * </ul>
 */
final class QuickUnixTerminal extends UnixTerminal {
    // No initialisers: the fields are set while the superclass constructor acquires the terminal.
    private String saved;
    private boolean canonicalDone;
    private boolean echoDone;
    private boolean signalsDone;

    QuickUnixTerminal(InputStream in, OutputStream out, Charset charset) throws IOException {
        super(in, new Output(out), charset, CtrlCBehaviour.TRAP);
    }

    /** Buffers the terminal's output until Lanterna flushes it, or until a cursor position query is complete. */
    static final class Output extends BufferedOutputStream {
        private static final byte[] POSITION_QUERY = {0x1b, '[', '6', 'n'};

        Output(OutputStream out) {
            super(out, 1 << 16);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            super.write(bytes, offset, length);
            if (Arrays.equals(bytes, offset, offset + length, POSITION_QUERY, 0, POSITION_QUERY.length)) {
                flush();
            }
        }
    }

    @Override
    protected void registerTerminalResizeListener(Runnable onResize) {
        try {
            Signal.handle(new Signal("WINCH"), signal -> onResize.run());
        } catch (IllegalArgumentException noSuchSignal) {
            // as Lanterna: a system without SIGWINCH keeps the size the terminal reported at the start
        }
    }

    @Override
    protected void saveTerminalSettings() throws IOException {
        String stty = System.getProperty("com.googlecode.lanterna.terminal.UnixTerminal.sttyCommand", "/bin/stty");
        String quoted = ShellQuote.quote(stty);
        String settings = exec("/bin/sh", "-c", quoted + " -g && " + quoted + " -icanon min 1 -echo intr undef").trim();
        if (settings.isEmpty()) {
            throw new IOException("stty -g printed nothing: cannot save the terminal's settings");
        }
        saved = settings;
        canonicalDone = true;
        echoDone = true;
        signalsDone = true;
    }

    @Override
    protected void restoreTerminalSettings() throws IOException {
        if (saved != null) {
            runSTTYCommand(saved);
        }
    }

    @Override
    protected void canonicalMode(boolean enabled) throws IOException {
        if (!enabled && canonicalDone) {
            canonicalDone = false;
            return;
        }
        super.canonicalMode(enabled);
    }

    @Override
    protected void keyEchoEnabled(boolean enabled) throws IOException {
        if (!enabled && echoDone) {
            echoDone = false;
            return;
        }
        super.keyEchoEnabled(enabled);
    }

    @Override
    protected void keyStrokeSignalsEnabled(boolean enabled) throws IOException {
        if (!enabled && signalsDone) {
            signalsDone = false;
            return;
        }
        super.keyStrokeSignalsEnabled(enabled);
    }
}
