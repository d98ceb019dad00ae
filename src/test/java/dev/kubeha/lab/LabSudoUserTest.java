package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.LabAnswers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A non-root login with sudo installs the load balancer and etcd as well as root does. */
@Tag("lab")
class LabSudoUserTest {
    @BeforeAll
    static void freshLab() {
        Lab.freshUp();
    }

    @AfterAll
    static void takeDown() {
        Lab.down();
    }

    @Test
    void theKubehaUserWithSudoInstallsEverythingUpToEtcd() throws Exception {
        Path dir = Files.createTempDirectory("kubeha-sudo");
        Path answers = dir.resolve("sudo.yaml");
        LabAnswers.copy(answers, text -> text.replace("  user: root\n", "  user: kubeha\n")
                .replace("  sudo: false\n", "  sudo: true\n"));
        Lab.Result apply = Lab.kubeha(dir.resolve("state"), 600, "apply", "-f", answers.toString(), "--yes",
                "--accept-new-host-keys", "--only", LabLoadBalancerAndEtcdTest.UP_TO_ETCD);
        assertEquals(0, apply.code(), apply.out());
        assertTrue(apply.out().contains("done: every step of os, load-balancer, vip, etcd, etcd-start is applied"),
                apply.out());
        Lab.Result owner = Lab.onNode("192.168.234.11", "stat -c '%U %a' /etc/etcd/ssl/server-key.pem");
        assertEquals("etcd 600", owner.out().strip(), "files uploaded through sudo keep their owner and mode");
        assertEquals(0, Lab.exec(30, "bash", "-c", "exec 3<>/dev/tcp/" + LabLoadBalancerAndEtcdTest.VIP
                + "/16443").code());
        Lab.Result etcd = Lab.onNode("192.168.234.12", "systemctl is-active etcd");
        assertEquals("active", etcd.out().strip());
    }
}
