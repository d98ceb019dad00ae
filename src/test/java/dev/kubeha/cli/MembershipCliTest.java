package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.install.AppliedRecord;
import dev.kubeha.model.AppliedTopology;
import dev.kubeha.install.MembershipRun;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.plan.MembershipOptions;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipCliTest {
    private static final String GUIDE = "assets/examples/guide.yaml";
    private static final String CEPH3 = "  - {name: ceph3,   address: 172.21.16.13, roles: [etcd]}\n";

    @TempDir
    Path dir;

    private Path answers(String edit) throws IOException {
        Path file = dir.resolve("answers.yaml");
        String text = Files.readString(Path.of(GUIDE));
        assertTrue(text.contains(CEPH3));
        Files.writeString(file, text.replace(CEPH3, edit));
        return file;
    }

    private Path recorded(HostSpec... more) {
        Path state = dir.resolve("state");
        List<HostSpec> hosts = new ArrayList<>(GuideSpecs.guide().hosts());
        hosts.addAll(List.of(more));
        AppliedRecord.write(StateDir.at(state.resolve("kubernetes")), GuideSpecs.guide().withHosts(hosts));
        return state;
    }

    @Test
    void planWithoutARecordSaysNoRemovalIsKnown() throws IOException {
        CliRunner.Run run = CliRunner.run("plan", "-f", answers(CEPH3).toString(), "--state-dir",
                dir.resolve("s").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("membership: no applied topology is recorded"), run.out());
    }

    @Test
    void planOfANewClusterWithFourEtcdHostsIsRefusedUntilAllowEven() throws IOException {
        Path file = answers(CEPH3 + "  - {name: ceph4, address: 172.21.16.20, roles: [etcd]}\n");
        Path state = dir.resolve("s");
        CliRunner.Run refused = CliRunner.run("plan", "-f", file.toString(), "--state-dir", state.toString());
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.out().contains("  refused: the answers list 4 etcd hosts, an even count that tolerates no"
                + " more failures than 3: pass --allow-even to install it anyway, or list 3 or 5\n"), refused.out());
        CliRunner.Run allowed = CliRunner.run("plan", "-f", file.toString(), "--state-dir", state.toString(),
                "--allow-even");
        assertEquals(0, allowed.code(), allowed.err());
        assertFalse(allowed.out().contains("refused:"), allowed.out());
    }

    @Test
    void planShowsJoinsBeforeThePhases() throws IOException {
        Path state = recorded();
        CliRunner.Run run = CliRunner.run("plan", "-f", answers(CEPH3
                + "  - {name: w1, address: 10.0.8.30, roles: [worker]}\n").toString(), "--state-dir", state.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("""
                membership (the answers compared with the recorded topology):
                  joins: w1 (10.0.8.30, worker)
                """), run.out());
        assertTrue(run.out().indexOf("joins: w1") < run.out().indexOf("phase 1:"), run.out());
    }

    @Test
    void planShowsAnEtcdVersionChangeFromTheRecordedVersionInTextAndJson() throws IOException {
        Path state = dir.resolve("state");
        ClusterSpec guide = GuideSpecs.guide();
        AppliedRecord.write(StateDir.at(state.resolve("kubernetes")), GuideSpecs.withEtcdVersion(guide, "3.5.16"));
        CliRunner.Run run = CliRunner.run("plan", "-f", answers(CEPH3).toString(), "--state-dir", state.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("""
                membership: no host joins, leaves or changes (compared with the recorded topology)
                etcd version: etcd.version is 3.5.24; the members' versions from the last apply's record:
                  etcd: ceph1 runs 3.5.16, etcd.version is 3.5.24
                """), run.out());
        assertTrue(run.out().contains("ceph3\nphase 1: "), run.out());
        CliRunner.Run json = CliRunner.run("plan", "-f", answers(CEPH3).toString(), "--state-dir", state.toString(),
                "-o", "json");
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().contains("\"etcdVersion\":{\"target\":\"3.5.24\",\"from\":\"the last apply's record\","
                + "\"running\":{\"ceph1\":\"3.5.16\",\"ceph2\":\"3.5.16\",\"ceph3\":\"3.5.16\"},\"refused\":[],"
                + "\"backup\":\"/var/lib/kubeha/backups/pre-etcd-upgrade-to-3.5.24.db\",\"order\":[\"ceph1\",\"ceph2\","
                + "\"ceph3\"]}"), json.out());
        AppliedRecord.write(StateDir.at(state.resolve("kubernetes")), guide);
        CliRunner.Run same = CliRunner.run("plan", "-f", answers(CEPH3).toString(), "--state-dir", state.toString());
        assertFalse(same.out().contains("etcd version:"), same.out());
    }

    @Test
    void planNamesARemovalAndEveryRefusalAndFailsUntilTheyAreAllowed() throws IOException {
        Path state = recorded(new HostSpec("w1", "10.0.8.30", Set.of(Role.WORKER)),
                new HostSpec("w2", "10.0.8.31", Set.of(Role.WORKER)));
        Path file = answers(CEPH3 + "  - {name: w3, address: 10.0.8.31, roles: [worker]}\n");
        CliRunner.Run refused = CliRunner.run("plan", "-f", file.toString(), "--state-dir", state.toString());
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.out().contains("""
                membership (the answers compared with the recorded topology):
                  joins: w3 (10.0.8.31, worker)
                  leaves: w1 (10.0.8.30, worker), w2 (10.0.8.31, worker)
                  changed in place: address 10.0.8.31: host w2 -> w3
                  refused: address 10.0.8.31: host w2 -> w3 is changed in place, which kubeha refuses: remove the\
                 host from the answers and apply with --allow-removal, then add it back with its new address or roles\
                 and apply again
                  refused: the answers remove w1 (10.0.8.30, worker), w2 (10.0.8.31, worker): removal runs only with\
                 --allow-removal
                """), refused.out());
        Path removal = answers(CEPH3);
        CliRunner.Run allowed = CliRunner.run("plan", "-f", removal.toString(), "--state-dir", state.toString(),
                "--allow-removal", "-o", "json");
        assertEquals(0, allowed.code(), allowed.err());
        assertTrue(allowed.out().contains("\"membership\":{\"recorded\":true,\"joining\":[],\"leaving\":[\"w1\","
                + "\"w2\"],\"changedInPlace\":[],\"refusals\":[]}"), allowed.out());
    }

    @Test
    void planOfAnUnreachableRemovalDrainsThroughTheApiAndNamesWhatStaysOnTheHost() throws IOException {
        Path state = recorded(new HostSpec("w1", "10.0.8.30", Set.of(Role.WORKER)));
        Path file = answers(CEPH3);
        CliRunner.Run run = CliRunner.run("plan", "-f", file.toString(), "--state-dir", state.toString(),
                "--allow-removal", "--allow-unreachable", "w1", "--drain-timeout", "90s");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("  not run on w1 (given up as unreachable): kubeadm reset; Stop the kubelet;"),
                run.out());
        assertTrue(run.out().contains("kubectl drain w1 (unreachable: its pods' ends are not waited for) (fails"
                + " after 90 s)"), run.out());
        CliRunner.Run json = CliRunner.run("plan", "-f", file.toString(), "--state-dir", state.toString(),
                "--allow-removal", "--allow-unreachable", "w1", "-o", "json");
        assertTrue(json.out().contains("\"notRunOnUnreachable\":{\"w1\":[\"kubeadm reset\",\"Stop the kubelet\","),
                json.out());
    }

    @Test
    void aHostGivenUpAsUnreachableMustBeOneTheAnswersRemove() throws IOException {
        Path state = recorded(new HostSpec("w1", "10.0.8.30", Set.of(Role.WORKER)));
        CliRunner.Run refused = CliRunner.run("plan", "-f", answers(CEPH3).toString(), "--state-dir",
                state.toString(), "--allow-removal", "--allow-unreachable", "w1,ceph1");
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.out().contains("  refused: --allow-unreachable names ceph1, which the answers do not remove"
                + " (leaving: w1): kubeha gives up only on hosts that leave the cluster\n"), refused.out());
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(new StringWriter()), new PrintWriter(err),
                Clock.systemUTC());
        ClusterChange change = ClusterChange.between(Optional.of(AppliedTopology.of(GuideSpecs.guide())),
                GuideSpecs.guide());
        assertFalse(MembershipRun.admitted(change, ClusterChange.Allowed.NOTHING,
                new MembershipOptions(Duration.ofMinutes(5), Set.of("ceph1")), context.out(), context.err()));
        assertTrue(err.toString().startsWith("refused: --allow-unreachable names ceph1, which the answers do not"
                + " remove: kubeha gives up only on hosts that leave the cluster\n"), err.toString());
    }

    @Test
    void aDrainTimeoutIsADurationOfSecondsMinutesOrHours() throws IOException {
        Path file = answers(CEPH3);
        for (String bad : List.of("5", "0s", "5x", "1m30s", "-5m")) {
            CliRunner.Run run = CliRunner.run("plan", "-f", file.toString(), "--state-dir", dir.resolve("s").toString(),
                    "--drain-timeout=" + bad);
            assertEquals(2, run.code(), bad + ": " + run.err());
            assertTrue(run.err().contains("option '--drain-timeout': '" + bad + "' is not a duration such as 90s, 10m"
                    + " or 1h"), run.err());
        }
        CliRunner.Run empty = CliRunner.run("plan", "-f", file.toString(), "--state-dir", dir.resolve("s").toString(),
                "--allow-unreachable", "w1,,w2");
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().contains("option '--allow-unreachable': an empty host name in 'w1,,w2'"), empty.err());
    }

    @Test
    void applysGateRefusesWithTheReasonsAndAdmitsWhatIsAllowed() {
        ClusterChange change = ClusterChange.between(Optional.of(AppliedTopology.of(GuideSpecs.guide())),
                GuideSpecs.guide().withHosts(GuideSpecs.guide().hosts().subList(0, 4)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err), Clock.systemUTC());
        assertFalse(MembershipRun.admitted(change, ClusterChange.Allowed.NOTHING, MembershipOptions.DEFAULT,
                context.out(), context.err()));
        assertEquals(List.of("refused: the answers remove ceph3 (172.21.16.13, etcd): removal runs only with"
                        + " --allow-removal",
                "refused: etcd goes from 3 to 2 members, an even count that tolerates no more failures than 1: pass"
                        + " --allow-even to go through it on the way to 3 or 1",
                "nothing was changed: fix the answers or pass the option named above"), err.toString().lines().toList());
        assertTrue(out.toString().contains("leaves: ceph3"), out.toString());
        assertTrue(MembershipRun.admitted(change, new ClusterChange.Allowed(true, true), MembershipOptions.DEFAULT,
                context.out(), context.err()));
    }
}
