package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
    @TempDir
    Path dir;

    @Test
    void bashScriptIsValidBash() throws Exception {
        Path script = script("bash");
        Process check = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), out);
    }

    @Test
    void completesCommandsOptionsAndChoices() throws Exception {
        Path script = script("bash");
        assertEquals(List.of("validate"), complete(script, "kubeha", "val"));
        assertEquals(List.of("completion"), complete(script, "kubeha", "comp"));
        assertEquals(List.of("--output"), complete(script, "kubeha", "validate", "--out"));
        assertEquals(List.of("json"), complete(script, "kubeha", "validate", "-o", "j"));
        assertEquals(List.of("bash"), complete(script, "kubeha", "completion", "b"));
    }

    @Test
    void zshGetsTheScriptThroughBashcompinit() throws Exception {
        String zsh = Files.readString(script("zsh"));
        assertEquals(Files.readString(script("bash")), zsh);
        assertTrue(zsh.contains("bashcompinit"), zsh);
    }

    @Test
    void shellIsRequiredAndChecked() {
        CliRunner.Run missing = CliRunner.run("completion");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("kubeha: missing required parameter: 'SHELL'\n"), missing.err());
        CliRunner.Run fish = CliRunner.run("completion", "fish");
        assertEquals(2, fish.code());
        assertTrue(fish.err().contains("'fish' is not one of bash, zsh"), fish.err());
    }

    private Path script(String shell) throws IOException {
        CliRunner.Run r = CliRunner.run("completion", shell);
        assertEquals(0, r.code(), r.err());
        Path script = dir.resolve("kubeha-" + shell);
        Files.writeString(script, r.out());
        return script;
    }

    /** What bash offers after the words typed, with the cursor at the end of the last one. */
    private static List<String> complete(Path script, String... words) throws Exception {
        String program = "source \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\";"
                + " COMP_POINT=${#COMP_LINE}; _complete_kubeha; printf '%s\\n' \"${COMPREPLY[@]}\"";
        List<String> command = new ArrayList<>(List.of("bash", "-c", program, "bash", script.toString()));
        command.addAll(List.of(words));
        Process bash = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), out);
        return out.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
    }
}
