package dev.kubeha.cli;

import dev.kubeha.state.StateException;
import dev.kubeha.state.StateHome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tinylog.configuration.Configuration;

/** Where kubeha writes about itself: its log and its crash reports, private files of the state root. */
final class Diagnostics {
    private static final String STATE_DIR = "--state-dir";
    private static final String LOG_FILE_KEY = "writer.file";
    /** tinylog takes a system property named "tinylog." + a key over its properties file's value for that key. */
    static final String LOG_FILE_PROPERTY = "tinylog." + LOG_FILE_KEY;

    private Diagnostics() {
    }

    /** The state root the command line names ({@code --state-dir} before or after the command), else the default. */
    static StateHome home(List<String> args, Map<String, String> env) {
        Path option = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(STATE_DIR) && i + 1 < args.size()) {
                option = Path.of(args.get(i + 1));
            } else if (arg.startsWith(STATE_DIR + "=")) {
                option = Path.of(arg.substring(STATE_DIR.length() + 1));
            }
        }
        return StateHome.resolve(option, env);
    }

    /**
     * Points tinylog's file at the state root's log; {@link StateHome#ensure()} makes that file 0600 first. Through
     * the system property tinylog reads when it first logs, so a command that never logs never starts tinylog (whose
     * configuration looks for its files in every jar of the class path: 20-30 ms of validate and the first frame).
     * A path that tinylog would read as a variable ({@code #{..}}, {@code ${..}}, {@code @{..}}) is set directly.
     */
    static void pointLogAt(StateHome home) {
        String file = home.log().toString();
        if (file.contains("{")) {
            if (!Configuration.isFrozen()) {
                Configuration.set(LOG_FILE_KEY, file);
            }
        } else {
            System.setProperty(LOG_FILE_PROPERTY, file);
        }
    }

    /** Keeps the stack trace out of the terminal but in a private file of the state root; empty if it cannot. */
    static String saveCrashReport(RuntimeException e, StateHome home) {
        try {
            Path file = home.privateDirectory(StateHome.CRASH_REPORTS)
                    .resolve("crash-" + Instant.now().toEpochMilli() + ".txt");
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            try (SeekableByteChannel channel = Files.newByteChannel(file, Set.<OpenOption>of(
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                channel.write(ByteBuffer.wrap(trace.toString().getBytes(StandardCharsets.UTF_8)));
            }
            return file.toString();
        } catch (IOException | StateException | SecurityException ignored) {
            return "";
        }
    }
}
