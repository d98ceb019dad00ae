package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusals kubeha upgrade gives before it connects to any host (the guide's cluster runs 1.36.3). */
class UpgradeCommandTest {
    @TempDir
    Path dir;

    CliRunner.Run upgrade(String to, String... more) throws Exception {
        Path answers = dir.resolve("guide.yaml");
        Files.writeString(answers, Files.readString(Path.of(RenderPlanCommandTest.GUIDE)));
        String[] args = {"upgrade", "-f", answers.toString(), "--to", to, "--yes", "--state-dir",
                dir.resolve("state").toString()};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliRunner.run(all);
    }

    @Test
    void skippingAMinorDowngradingAndUnknownTargetsAreRefusedWithTheirReasons() throws Exception {
        CliRunner.Run skip = upgrade("1.38.0");
        assertEquals(ExitCodes.PROBLEMS, skip.code());
        assertTrue(skip.err().contains("refused: kubeha does not support Kubernetes 1.38"), skip.err());
        assertTrue(skip.err().contains("refused: kubeadm upgrades one minor at a time: from 1.36.3 upgrade to"
                + " 1.37.x first"), skip.err());
        CliRunner.Run down = upgrade("1.35.5");
        assertEquals(ExitCodes.PROBLEMS, down.code());
        assertTrue(down.err().contains("refused: the cluster runs 1.36.3: a downgrade to 1.35.5 is not possible"),
                down.err());
        CliRunner.Run prometheus = upgrade("1.37.1");
        assertEquals(ExitCodes.PROBLEMS, prometheus.code());
        assertTrue(prometheus.err().contains("refused: no kube-prometheus release supports Kubernetes 1.37"),
                prometheus.err());
        assertEquals("", prometheus.out(), "nothing connects before the refusal");
    }

    @Test
    void maxUnavailableMustBeAPositiveWholeNumber() throws Exception {
        CliRunner.Run zero = upgrade("1.36.4", "--max-unavailable", "0");
        assertEquals(ExitCodes.USAGE, zero.code());
        assertTrue(zero.err().contains("option '--max-unavailable': '0' is not a whole number of 1 or more"),
                zero.err());
    }
}
