package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.LabAnswers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a headless apply of the os phase trusted the hosts, the wizard replays lab/lab.yaml and installs the rest. */
@Tag("lab")
@org.junit.jupiter.api.TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabWizardInstallTest {
    static final Path LAB = Path.of("lab/lab.sh").toAbsolutePath();
    static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    @BeforeAll
    static void freshLab() throws Exception {
        lab("down");
        assertEquals(0, lab("up"), "lab up");
    }

    @AfterAll
    static void takeDown() throws Exception {
        lab("down");
    }

    static int lab(String command) throws Exception {
        Process p = new ProcessBuilder(LAB.toString(), command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(900, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void theReviewScreensInstallRunsTheEngineWithAPanePerNodeToTheSummary() throws Exception {
        Path state = shared.resolve("state");
        LabAnswers.copy(shared.resolve("lab.yaml"), text -> text);
        List<String> trust = new ArrayList<>(List.of(LAB.toString(), "exec"));
        List<String> apply = KubehaProcess.command("apply", "-f", shared.resolve("lab.yaml").toString(),
                "--state-dir", state.toString(), "--yes", "--accept-new-host-keys", "--only", "os");
        apply.add(1, "-Dtinylog.configuration=tinylog.properties");
        trust.addAll(apply);
        Process first = new ProcessBuilder(trust).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("trust.out").toFile()).start();
        assertTrue(first.waitFor(300, TimeUnit.SECONDS) && first.exitValue() == 0, Files.readString(
                dir.resolve("trust.out")));
        installThroughTheWizard(state, 80, 24);
        assertTrue(Files.exists(state.resolve("kubeha-lab/journal/etcd1.journal")));
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theInstalledClusterOpensOnTheClusterScreenAtALargeSize() throws Exception {
        List<String> command = new ArrayList<>(List.of(LAB.toString(), "exec"));
        List<String> kubeha = KubehaProcess.command("--answers", shared.resolve("lab.yaml").toString(),
                "--state-dir", shared.resolve("state").toString(), "--no-probe");
        kubeha.add(1, "-Dtinylog.configuration=tinylog.properties");
        command.addAll(kubeha);
        try (Tmux tmux = new Tmux(dir, 200, 60, KubehaProcess.shellQuoted(command) + " 2>" + dir.resolve("err"))) {
            String screen = tmux.await("the Cluster screen", s -> s.contains("VIP 192.168.233.100: cp1, /healthz ok")
                    && s.contains("(* leader)") && s.contains("worker1 Ready v1.36.3"), Duration.ofSeconds(120));
            for (String host : List.of("cp1", "cp2", "etcd1", "etcd2", "etcd3", "worker1")) {
                assertTrue(screen.contains("─" + host + "─"), host + " has a pane:\n" + screen);
            }
            assertTrue(screen.contains("apiserver-etcd-client"), screen);
            tmux.send("q");
            tmux.await("KUBEHA-EXIT=0", STEP);
        }
    }

    private void installThroughTheWizard(Path state, int columns, int rows) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAB.toString(), "exec"));
        List<String> kubeha = KubehaProcess.command("--answers", shared.resolve("lab.yaml").toString(),
                "--state-dir", state.toString(), "--no-probe");
        kubeha.add(1, "-Dtinylog.configuration=tinylog.properties");
        command.addAll(kubeha);
        try (Tmux tmux = new Tmux(dir, columns, rows, KubehaProcess.shellQuoted(command) + " 2>" + dir.resolve("err"))) {
            walkToTheSummary(tmux);
        } catch (AssertionError e) {
            Path err = dir.resolve("err");
            throw new AssertionError(e.getMessage() + "\nkubeha's stderr:\n"
                    + (Files.exists(err) ? Files.readString(err) : "(none)"), e);
        }
        assertTrue(Files.exists(state.resolve("kubeha-lab/admin.conf")), "the kubeconfig was handed over");
    }

    private static void walkToTheSummary(Tmux tmux) throws Exception {
        tmux.await("step 1/8", STEP);
        {
            for (int screen = 2; screen <= 8; screen++) {
                tmux.send("NPage");
                tmux.await("step " + screen + "/8", STEP);
            }
            String review = tmux.await("<Install>", STEP);
            assertTrue(review.contains("0 errors, 1 warning"), review);
            tmux.send("Tab", "Tab", "Tab", "Enter");
            tmux.await("This CHANGES THE HOSTS", STEP);
            tmux.send("Tab", "Enter");
            tmux.await("the install screen", s -> s.contains("installing cluster kubeha-lab"), Duration.ofSeconds(60));
            String summary = tmux.await("the summary", s -> s.contains("The cluster kubeha-lab is installed."),
                    Duration.ofSeconds(900));
            assertTrue(summary.contains("192.168.233.100:16443"), summary);
            assertTrue(summary.contains("kubeha-lab/admin.conf"), summary);
            tmux.send("Enter");
            String end = tmux.await("KUBEHA-EXIT=0", STEP);
            assertTrue(end.contains("every step is applied and verified"), end);
        }
    }
}
