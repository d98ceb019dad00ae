package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubeha's drain command run by sh and bash against a kubectl that fails the drain as kubectl does. */
class KubeDrainTest {
    @TempDir
    Path dir;

    /** A kubectl whose drain fails as a PodDisruptionBudget makes it, and whose get pdb prints {@code rows}. */
    private void kubectl(String rows) throws IOException {
        Path bin = dir.resolve("kubectl");
        Files.writeString(bin, "#!/bin/sh\ncase \"$3\" in\n"
                + "  drain) echo \"node/$4 cordoned\"; echo 'error: unable to drain node \"'$4'\" due to error: error when"
                + " evicting pods/\"w-1\" -n \"default\": global timeout reached: 1m30s, continuing command...' >&2;"
                + " exit 1 ;;\n  get) [ \"$4 $5 $6\" = 'pdb -A --no-headers' ] || exit 9; printf '" + rows + "' ;;\n"
                + "  *) exit 9 ;;\nesac\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> run(String shell, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(shell, "-c", command);
        pb.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), out);
        return List.of(String.valueOf(p.exitValue()), out.lines().reduce((a, b) -> b).orElse(""));
    }

    @Test
    void aBlockedDrainFailsWithKubectlsCodeNamingTheNodeAndTheBudgetsThatAllowNoDisruption() throws Exception {
        kubectl("default   workload   1   N/A   0   3m\\ndefault   relaxed   N/A   1   1   3m\\n"
                + "shop   checkout   2   N/A   0   1h\\n");
        for (String shell : List.of("sh", "bash")) {
            assertEquals(List.of("1", "kubeha: node w1 is not drained (kubectl drain gave up after 90 s,"
                    + " --drain-timeout): blocked by the PodDisruptionBudgets that allow no disruption now:"
                    + " default/workload, shop/checkout; give their pods room on other nodes or relax the budgets,"
                    + " then run kubeha again"), run(shell, Kube.drain("w1", Duration.ofSeconds(90))), shell);
        }
    }

    @Test
    void aDrainFailingForAnotherReasonSaysNoBudgetBlocksIt() throws Exception {
        kubectl("default   relaxed   N/A   1   1   3m\\n");
        assertEquals(List.of("1", "kubeha: node w1 is not drained (kubectl drain gave up after 5 min,"
                + " --drain-timeout): no PodDisruptionBudget blocks it now: see the message of kubectl above"),
                run("sh", Kube.drainUnreachable("w1", Duration.ofMinutes(5))));
    }

    @Test
    void durationsReadAsAnOperatorSaysThem() {
        assertEquals(List.of("90 s", "5 min", "2 h"), List.of(Kube.human(Duration.ofSeconds(90)),
                Kube.human(Duration.ofMinutes(5)), Kube.human(Duration.ofHours(2))));
    }
}
