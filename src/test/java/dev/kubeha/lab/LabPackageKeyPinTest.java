package dev.kubeha.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.testing.LabAnswers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The lab's http package repository is trusted only through lab.yaml's pinned signing-key fingerprint. */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabPackageKeyPinTest {
    static final String WORKER1 = "192.168.233.21";
    static final String LAB_PIN = "770A5A11914AE2052F38DF29B9D5FECE9CBA154E";
    static final String WRONG_PIN = "0123456789ABCDEF0123456789ABCDEF01234567";

    static Path state;

    @BeforeAll
    static void freshLab() throws IOException {
        Lab.freshUp();
        state = Files.createTempDirectory("kubeha-lab-state");
    }

    @AfterAll
    static void takeDown() {
        Lab.down();
    }

    @Test
    @Order(1)
    void aWrongPinIsRefusedOnTheHostBeforeAnythingTrustsTheKey() throws IOException {
        Path wrong = LabAnswers.copy(state.resolve("wrong-pin.yaml"), text -> {
            assertTrue(text.contains(LAB_PIN), "lab.yaml pins the lab key");
            return text.replace(LAB_PIN, WRONG_PIN);
        });
        Lab.Result apply = Lab.kubeha(state, 600, "apply", "-f", wrong.toString(), "--yes",
                "--accept-new-host-keys", "--only", "repository,packages");
        assertNotEquals(0, apply.code(), apply.out());
        assertTrue(apply.out().contains("the downloaded signing key is " + LAB_PIN + ", not the pinned " + WRONG_PIN),
                apply.out());
        Lab.Result node = Lab.onNode(WORKER1, "test ! -e /etc/apt/keyrings/kubernetes-apt-keyring.asc"
                + " && test ! -e /etc/apt/sources.list.d/kubernetes.list && ! dpkg -s kubeadm >/dev/null 2>&1"
                + " && echo untouched");
        assertEquals("untouched", node.out().strip(), node.out());
    }

    @Test
    @Order(2)
    void theLabsPinInstallsThePackages() {
        Lab.Result apply = Lab.kubeha(state, 900, "apply", "-f", Lab.ANSWERS.toString(), "--yes",
                "--accept-new-host-keys", "--only", "repository,packages");
        assertEquals(0, apply.code(), apply.out());
        Lab.Result node = Lab.onNode(WORKER1, "dpkg-query -W -f='${Version}' kubeadm && echo"
                + " && test -s /etc/apt/keyrings/kubernetes-apt-keyring.asc && echo key-installed");
        assertTrue(node.out().contains("1.36.3-") && node.out().contains("key-installed"), node.out());
    }
}
