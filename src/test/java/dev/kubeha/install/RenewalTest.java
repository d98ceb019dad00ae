package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.pki.CertificateExpiry;
import dev.kubeha.plan.RenewCertificates;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateHome;
import dev.kubeha.testing.GuideSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewalTest {
    @TempDir
    Path home;

    @Test
    void aClusterIsInstalledOnceTheFirstControlPlaneFinishedTheVerifyStepAndNotWhileItIsPending() throws Exception {
        ClusterSpec spec = GuideSpecs.guide();
        StateHome state = StateHome.resolve(home, Map.of());
        Path journal = home.resolve("kubernetes/journal");
        assertFalse(Renewal.installed(spec, state));
        Files.createDirectories(journal);
        Files.writeString(journal.resolve("worker1.journal"), "pending verify.cluster 2026-12-01T00:00:00Z\n"
                + "verify.clusterx 0a1b 2026-12-01T00:00:00Z\n");
        assertFalse(Renewal.installed(spec, state));
        Files.writeString(journal.resolve("worker2.journal"), "verify.cluster 0a1b 2026-12-01T00:00:01Z\n");
        assertFalse(Renewal.installed(spec, state), "worker2 is not the first control plane");
        Files.writeString(journal.resolve("worker1.journal"), "verify.cluster 0a1b 2026-12-01T00:00:01Z\n",
                StandardOpenOption.APPEND);
        assertTrue(Renewal.installed(spec, state));
    }

    @Test
    void aRenewalRunAgainAfterAFailureResumesItsRoundAndAFinishedOrDayOldRoundIsNotResumed() throws Exception {
        StateDir state = StateDir.at(home.resolve("cluster"));
        Instant start = Instant.parse("2026-12-05T04:00:00Z");
        String round = Renewal.round(state, Clock.fixed(start.plusMillis(300), ZoneOffset.UTC));
        assertEquals("2026-12-05T04:00:00Z", round);
        assertEquals(round, Renewal.round(state, Clock.fixed(start.plus(Duration.ofHours(2)), ZoneOffset.UTC)),
                "a failed renewal run again resumes its round");
        assertNotEquals(round, Renewal.round(state, Clock.fixed(start.plus(Duration.ofDays(2)), ZoneOffset.UTC)),
                "a round left unfinished for a day is not resumed");
        Renewal.roundFinished(state);
        assertEquals("2026-12-05T06:00:00Z", Renewal.round(state,
                Clock.fixed(start.plus(Duration.ofHours(2)), ZoneOffset.UTC)), "finished: the next renewal is new");
        Files.writeString(home.resolve("cluster/renewal-round"), "$(reboot)\n");
        assertEquals("2026-12-05T07:00:00Z", Renewal.round(state,
                Clock.fixed(start.plus(Duration.ofHours(3)), ZoneOffset.UTC)), "what is not a time is replaced");
    }

    @Test
    void aResumedRoundKeepsTheEtcdLeavesItIssuedAndANewRoundOrWindowIssuesNewOnes() {
        ClusterWorkspace opened = ClusterWorkspace.open(GuideSpecs.guide(), StateHome.resolve(home, Map.of()));
        StateDir state = opened.state();
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T04:00:00Z"), ZoneOffset.UTC);
        String round = Renewal.round(state, clock);
        Map<String, String> installed = serials(opened);

        ClusterWorkspace first = Renewal.renewInState(opened, Optional.empty(), round);
        Map<String, String> issued = serials(first);
        assertEquals(installed.keySet(), issued.keySet());
        installed.forEach((name, serial) -> assertNotEquals(serial, issued.get(name), name));
        assertTrue(Renewal.etcdIssuedIn(state, Optional.empty(), round));

        String resumed = Renewal.round(state, Clock.offset(clock, Duration.ofHours(1)));
        assertEquals(round, resumed);
        ClusterWorkspace reopened = ClusterWorkspace.open(GuideSpecs.guide(), StateHome.resolve(home, Map.of()));
        ClusterWorkspace again = Renewal.renewInState(reopened, Optional.empty(), resumed);
        assertEquals(issued, serials(again), "a resumed round keeps what it issued");
        assertEquals(List.of(), again.pki().newlyIssued());
        assertEquals(etcdSteps(first, round), etcdSteps(again, resumed),
                "a resumed round writes the same files, so a member that runs them is not written or restarted again");

        assertFalse(Renewal.etcdIssuedIn(state, Optional.of(Duration.ofDays(30)), round),
                "another window is another renewal");
        ClusterWorkspace next = Renewal.renewInState(again, Optional.empty(), "2026-12-07T00:00:00Z");
        assertNotEquals(issued, serials(next), "a new round issues new leaves");
        assertEquals(3, etcdSteps(next, "2026-12-07T00:00:00Z").size());
        assertTrue(etcdSteps(next, "2026-12-07T00:00:00Z").stream().noneMatch(etcdSteps(first, round)::contains),
                "... which every member gets");

        Renewal.roundFinished(state);
        assertFalse(Files.exists(state.root().resolve(Renewal.ETCD_ROUND_FILE)));
        assertFalse(Renewal.etcdIssuedIn(state, Optional.empty(), "2026-12-07T00:00:00Z"));
    }

    /** Each etcd member's renewal step and its fingerprint, which covers every file it writes. */
    private static List<String> etcdSteps(ClusterWorkspace workspace, String round) {
        return RenewCertificates.WORKFLOW.plan(Renewal.input(workspace, true, false, Optional.empty(), round)).phases()
                .stream().filter(p -> p.name().equals(RenewCertificates.ETCD)).flatMap(p -> p.steps().stream())
                .map(s -> s.host() + " " + s.id() + " " + s.fingerprint()).toList();
    }

    private static Map<String, String> serials(ClusterWorkspace workspace) {
        Map<String, String> out = new TreeMap<>();
        for (CertificateExpiry leaf : workspace.pki().expiries()) {
            if (!leaf.ca()) {
                out.put(leaf.name(), workspace.pki().certificate(leaf.name()).orElseThrow().getSerialNumber()
                        .toString(16));
            }
        }
        return out;
    }
}
