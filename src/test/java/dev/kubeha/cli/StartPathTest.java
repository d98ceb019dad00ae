package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code kubeha validate} leaves alone, in a fresh JVM (its start-up is the measure): no class of a library it
 * does not use is initialised, and tinylog, which looks for its configuration in every jar of the class path, is not
 * started when nothing logs.
 */
class StartPathTest {
    /** Libraries only apply, the day-2 commands, bundle and the wizard need (class-name prefixes, JVM spelling). */
    static final List<String> NOT_FOR_VALIDATE = List.of("org/tinylog/configuration/", "com/google/cloud/tools/jib/",
            "com/fasterxml/jackson/", "org/bouncycastle/", "net/schmizz/", "com/hierynomus/", "com/google/common/",
            "org/apache/", "com/googlecode/lanterna/", "org/jline/", "dev/kubeha/tui/", "dev/kubeha/exec/");
    private static final Pattern INITIALISED = Pattern.compile("Initializing '([^']+)'");

    @TempDir
    Path dir;

    @Test
    void validateInitialisesNoLibraryItDoesNotUse() throws Exception {
        List<String> initialised = initialisedBy(dir, "validate", "-f", "assets/examples/guide.yaml");
        assertTrue(initialised.contains("dev/kubeha/validate/SpecValidator"), "the log shows the check ran");
        for (String prefix : NOT_FOR_VALIDATE) {
            assertEquals(List.of(), initialised.stream().filter(c -> c.startsWith(prefix)).toList(), prefix);
        }
        assertFalse(Files.exists(dir.resolve("state")), "validate writes nothing into the state root");
    }

    /** The classes a fresh kubeha JVM initialises for these arguments, in order; the command must succeed. */
    static List<String> initialisedBy(Path dir, String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("class-init.log");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xlog:class+init=info:file=" + log, "-cp", classPath, "dev.kubeha.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output").toFile());
        builder.environment().put("KUBEHA_STATE_HOME", dir.resolve("state").toString());
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubeha " + String.join(" ", args) + " ended");
        assertEquals(0, process.exitValue(), Files.readString(dir.resolve("output")));
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = INITIALISED.matcher(line);
            if (m.find()) {
                classes.add(m.group(1));
            }
        }
        return classes;
    }
}
