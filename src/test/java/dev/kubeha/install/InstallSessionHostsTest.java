package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import java.net.ConnectException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which hosts a run connects to, and what it says when a host the answers remove cannot be reached. */
class InstallSessionHostsTest {
    private static final List<HostSpec> ANSWERS = List.of(new HostSpec("cp1", "10.0.8.6", Set.of(Role.CONTROL_PLANE)),
            new HostSpec("w1", "10.0.8.30", Set.of(Role.WORKER)));
    /** The session's hosts: the answers', then the recorded ones that leave. */
    private static final Set<String> HOSTS = new LinkedHashSet<>(List.of("cp1", "w1", "w2", "lb3"));

    @Test
    void anApplyReachesTheLeavingHostsExceptThoseGivenUpAsUnreachable() {
        assertEquals(List.of("cp1", "w1", "w2", "lb3"), InstallSession.reached(HOSTS, ANSWERS, Set.of(), true));
        assertEquals(List.of("cp1", "w1", "lb3"), InstallSession.reached(HOSTS, ANSWERS, Set.of("w2"), true));
    }

    @Test
    void otherWorkflowsReachOnlyTheAnswersHostsSoADeadLeavingHostBlocksNothing() {
        assertEquals(List.of("cp1", "w1"), InstallSession.reached(HOSTS, ANSWERS, Set.of(), false));
        assertEquals(List.of("cp1"), InstallSession.reached(HOSTS, ANSWERS, Set.of("w1"), false));
    }

    @Test
    void anUnreachableLeavingHostNamesTheOptionThatGivesItUp() {
        InstallSession.Blocker blocker = new InstallSession.Blocker(Optional.of("w2"),
                new InstallSession.LeavingHostUnreachable("w2", new ConnectException("connect timed out")));
        assertEquals("w2: connect timed out; w2 leaves the cluster: if it is gone for good, apply again with"
                + " --allow-unreachable w2 (kubeha then removes it through the API and the other hosts, and cleans"
                + " nothing on it)", blocker.text());
    }
}
