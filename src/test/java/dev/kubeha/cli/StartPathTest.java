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
 * What {@code kubeha validate} leaves alone, in a fresh JVM with the image's options (jlink/jvm.options): no class of a
 * library it does not use is initialised, and nothing looks through every jar of the class path (tinylog's
 * configuration, a service lookup such as the platform logger's, a class that is not there such as picocli's Groovy
 * check): each opens all of kubeha's 40 jars. Nor a record's equals, hashCode or toString ({@code ObjectMethods}): it
 * makes classes at run time (the class-file API), which the start-up cache does not keep.
 */
public class StartPathTest {
    /** Libraries only apply, the day-2 commands, bundle and the wizard need (class-name prefixes, JVM spelling). */
    static final List<String> NOT_FOR_VALIDATE = List.of("org/tinylog/configuration/", "com/google/cloud/tools/jib/",
            "com/fasterxml/jackson/", "org/bouncycastle/", "net/schmizz/", "com/hierynomus/", "com/google/common/",
            "org/apache/", "com/googlecode/lanterna/", "org/jline/", "dev/kubeha/tui/", "dev/kubeha/exec/",
            "java/util/ServiceLoader$LazyClassPathLookupIterator", "java/lang/ClassNotFoundException",
            "jdk/internal/logger/", "java/beans/", "java/lang/runtime/ObjectMethods");
    /** The launcher's options (one line), with which the image runs kubeha. */
    public static final Path JVM_OPTIONS = Path.of("jlink/jvm.options");
    /** Prefixes of the jars the image's class path starts with (jlink/build.sh writes lib/classpath from it). */
    public static final Path CLASS_PATH_FIRST = Path.of("jlink/classpath-first");
    private static final Pattern INITIALISED = Pattern.compile("Initializing '([^']+)'");
    private static final Pattern LOADED_FROM_JAR = Pattern.compile(" source: \\S*/([^/]+\\.jar)$");

    @TempDir
    Path dir;

    @Test
    void validateInitialisesNoLibraryItDoesNotUse() throws Exception {
        List<String> log = classLogOf(dir, "validate", "-f", "assets/examples/guide.yaml");
        List<String> initialised = initialised(log);
        assertTrue(initialised.contains("dev/kubeha/validate/SpecValidator"), "the log shows the check ran");
        for (String prefix : NOT_FOR_VALIDATE) {
            assertEquals(List.of(), initialised.stream().filter(c -> c.startsWith(prefix)).toList(), prefix);
        }
        assertFalse(Files.exists(dir.resolve("state")), "validate writes nothing into the state root");
    }

    /**
     * The image's class path starts with the jars of jlink/classpath-first (finding a class or resource opens every
     * jar before the one that has it): validate takes classes from none after them.
     */
    @Test
    void validateLoadsClassesOnlyFromTheJarsAtTheHeadOfTheClassPath() throws Exception {
        List<String> jars = jarsLoadedFrom(classLogOf(dir, "validate", "-f", "assets/examples/guide.yaml"));
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("snakeyaml-")), jars.toString());
        List<String> head = Files.readAllLines(CLASS_PATH_FIRST);
        assertEquals(List.of(), jars.stream().filter(j -> !atTheHead(j, head)).toList());
    }

    /** Whether the image's class path puts this jar among the first ones (jlink/classpath-first's prefixes). */
    public static boolean atTheHead(String jar, List<String> head) {
        return head.stream().anyMatch(p -> !p.isBlank() && jar.startsWith(p.strip()));
    }

    /** The jar files a class log shows classes loaded from, by file name, each once. */
    public static List<String> jarsLoadedFrom(List<String> log) {
        return log.stream().map(LOADED_FROM_JAR::matcher).filter(Matcher::find).map(m -> m.group(1)).distinct()
                .toList();
    }

    /** The classes a class log shows initialised, in order. */
    public static List<String> initialised(List<String> log) {
        return log.stream().map(INITIALISED::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    }

    /** The class loading and initialisation log of a fresh kubeha JVM run with these arguments, which must succeed. */
    static List<String> classLogOf(Path dir, String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("class.log");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xlog:class+init=info,class+load=info:file=" + log));
        command.addAll(List.of(Files.readString(JVM_OPTIONS).strip().split(" +")));
        command.addAll(List.of("-cp", classPath, "dev.kubeha.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output").toFile());
        builder.environment().put("KUBEHA_STATE_HOME", dir.resolve("state").toString());
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubeha " + String.join(" ", args) + " ended");
        assertEquals(0, process.exitValue(), Files.readString(dir.resolve("output")));
        return Files.readAllLines(log);
    }
}
