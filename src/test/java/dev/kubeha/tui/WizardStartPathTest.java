package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.cli.StartPathTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the full-screen wizard's first frame (and quitting it) leaves alone, in a fresh JVM with the image's options:
 * no library of apply, bundle or line mode, no tinylog, no failed class lookup, and classes only from the jars
 * the image's class path starts with; and what waits until the first frame is drawn.
 */
@Tag("tools")
class WizardStartPathTest {
    static final List<String> NOT_FOR_THE_FIRST_FRAME = List.of("org/tinylog/configuration/",
            "com/google/cloud/tools/jib/", "com/fasterxml/jackson/", "org/bouncycastle/", "net/schmizz/",
            "com/hierynomus/", "com/google/common/", "org/apache/", "org/jline/", "dev/kubeha/exec/",
            "dev/kubeha/install/", "java/lang/ClassNotFoundException", "java/beans/");
    /**
     * Not before the first frame: checking the draft (right after it), writing answers, and what makes classes at run
     * time, which the start-up cache does not keep: a record's equals, hashCode or toString ({@code ObjectMethods}),
     * a reflective proxy (Lanterna's resize handler).
     */
    static final List<String> NOT_BEFORE_THE_FIRST_FRAME = List.of("dev/kubeha/validate/SpecValidator",
            "dev/kubeha/tui/JumpHostFiles", "dev/kubeha/answers/AnswersWriter", "java/lang/runtime/ObjectMethods",
            "java/lang/reflect/Proxy");
    static final String FIRST_FRAME = "com/googlecode/lanterna/screen/Screen$RefreshType";

    @TempDir
    Path dir;

    @Test
    void theFirstFrameInitialisesNoLibraryItDoesNotUse() throws Exception {
        Path log = dir.resolve("class.log");
        List<String> jvm = new ArrayList<>(List.of("-Xlog:class+init=info,class+load=info:file=" + log));
        jvm.addAll(List.of(Files.readString(StartPathTest.JVM_OPTIONS).strip().split(" +")));
        String command = KubehaProcess.shellQuoted(KubehaProcess.command(jvm, "--state-dir",
                dir.resolve("state").toString(), "--no-probe")) + " 2>" + dir.resolve("stderr");
        try (Tmux tmux = new Tmux(dir, 80, 24, command)) {
            tmux.await("Cluster name", Duration.ofSeconds(30));
            tmux.send("F10");
            tmux.await("the wizard's end", s -> s.contains("KUBEHA-EXIT="), Duration.ofSeconds(10));
        }
        List<String> lines = Files.readAllLines(log);
        List<String> initialised = StartPathTest.initialised(lines);
        assertTrue(initialised.contains("dev/kubeha/tui/Wizard"), "the log shows the wizard ran");
        for (String prefix : NOT_FOR_THE_FIRST_FRAME) {
            assertEquals(List.of(), initialised.stream().filter(c -> c.startsWith(prefix)).toList(), prefix);
        }
        int frame = initialised.indexOf(FIRST_FRAME);
        assertTrue(frame > 0 && initialised.indexOf("dev/kubeha/validate/SpecValidator") > frame,
                "the first frame is drawn, then the draft is checked");
        for (String prefix : NOT_BEFORE_THE_FIRST_FRAME) {
            assertEquals(List.of(), initialised.subList(0, frame).stream().filter(c -> c.startsWith(prefix)).toList(),
                    prefix);
        }
        List<String> head = Files.readAllLines(StartPathTest.CLASS_PATH_FIRST);
        List<String> jars = StartPathTest.jarsLoadedFrom(lines);
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("lanterna-")), jars.toString());
        assertEquals(List.of(), jars.stream().filter(j -> !StartPathTest.atTheHead(j, head)).toList());
        assertEquals("", Files.readString(dir.resolve("stderr")));
    }
}
