package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.AnswersWriter;
import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.validate.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DraftTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    @Test
    void aSpecSurvivesTheRoundTripThroughADraft() {
        ClusterSpec guide = AnswersFile.load(Path.of("assets/examples/guide.yaml")).spec().orElseThrow();
        assertEquals(guide, Draft.from(guide).toSpec());
    }

    @Test
    void aDraftIsWrittenByTheAnswersWriterAndReadBackAsAFileIs() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("lab/lab.yaml")));
        try (Stream<Path> examples = Files.list(Path.of("assets/examples"))) {
            examples.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        for (Path file : files) {
            ClusterSpec spec = AnswersFile.load(file).spec().orElseThrow();
            Draft draft = Draft.from(spec);
            assertEquals(AnswersWriter.toYaml(spec), draft.toYaml(), file.toString());
            assertEquals(spec, draft.toSpec(), file.toString());
        }
    }

    @Test
    void nonDefaultAddonsSurviveTheRoundTrip() {
        ClusterSpec lab = AnswersFile.load(Path.of("lab/lab.yaml")).spec().orElseThrow();
        ClusterSpec offline = new ClusterSpec(lab.cluster(), lab.ssh(), lab.hosts(), lab.loadBalancer(), lab.network(),
                lab.etcd(), lab.containerRuntime(), new AddonsSpec(false, "/srv/kp.tar.gz"));
        assertEquals(offline, Draft.from(offline).toSpec());
    }

    @Test
    void etcdBackupSurvivesTheRoundTripAndItsFieldsGetTheirProblems() {
        ClusterSpec withBackup = GuideSpecs.withBackup("Mon..Fri 03:00", 12);
        assertEquals(withBackup, Draft.from(withBackup).toSpec());
        Draft draft = Draft.from(GuideSpecs.guide());
        draft.etcdBackupSchedule = "daily; reboot";
        draft.etcdBackupKeep = "0";
        List<Problem> problems = draft.check(TODAY).problems();
        assertTrue(Draft.at(problems, "etcd.backup.schedule").stream().anyMatch(Problem::isError), problems.toString());
        assertTrue(Draft.at(problems, "etcd.backup.keep").stream().anyMatch(Problem::isError), problems.toString());
        draft.etcdBackupSchedule = "";
        assertTrue(Draft.at(draft.check(TODAY).problems(), "etcd.backup.keep").isEmpty(), "empty schedule: no timer");
    }

    @Test
    void problemsAreAddressedToTheFieldThatCausesThem() {
        Draft draft = Draft.from(AnswersFile.load(Path.of("assets/examples/minimal.yaml")).spec().orElseThrow());
        draft.hosts.get(1).address = "192.168.10.300";
        draft.sshPort = "99999";
        draft.vip = "";
        List<Problem> problems = draft.check(TODAY).problems();
        assertEquals(List.of("'192.168.10.300' is not an IPv4 or IPv6 address"),
                Draft.at(problems, "hosts[1].address").stream().map(Problem::message).toList());
        assertEquals(List.of("99999 is not a TCP port (1-65535)"),
                Draft.at(problems, "ssh.port").stream().map(Problem::message).toList());
        assertTrue(Draft.at(problems, "loadBalancer.vip").stream().anyMatch(Problem::isError));
        assertTrue(Draft.at(problems, "hosts[0]").isEmpty());
    }

    @Test
    void textThatIsNotANumberGetsTheLoadersMessage() {
        Draft draft = Draft.defaults();
        draft.lbPort = "12a";
        assertEquals(List.of("'12a' is not a whole number"),
                Draft.at(draft.check(TODAY).problems(), "loadBalancer.port").stream().map(Problem::message).toList());
    }

    @Test
    void textTypedIntoANumberFieldStaysOneValueOfThatField() {
        Draft draft = Draft.from(AnswersFile.load(Path.of("assets/examples/minimal.yaml")).spec().orElseThrow());
        draft.lbPort = "1\nvip: 10.0.0.1";
        draft.hosts.get(0).port = "22, roles: [worker]";
        List<Problem> problems = draft.check(TODAY).problems();
        assertEquals(List.of("'1\\nvip: 10.0.0.1' is not a whole number"),
                Draft.at(problems, "loadBalancer.port").stream().map(Problem::message).toList());
        assertEquals(List.of("'22, roles: [worker]' is not a whole number"),
                Draft.at(problems, "hosts[0].port").stream().map(Problem::message).toList());
        assertEquals(draft.hosts.get(0).roles.size(), draft.toSpec().hosts().get(0).roles().size());
        assertTrue(Draft.at(problems, "loadBalancer.vip").isEmpty(), problems.toString());
    }

    @Test
    void anUnknownRoleTypedInLineModeIsNamedWithASuggestion() {
        Draft draft = Draft.defaults();
        Draft.HostDraft host = new Draft.HostDraft();
        host.name = "cp1";
        host.address = "192.168.10.11";
        host.roles.add("control-plan");
        draft.hosts.add(host);
        List<Problem> roles = Draft.at(draft.check(TODAY).problems(), "hosts[0].roles");
        assertEquals("unknown role 'control-plan'; did you mean control-plane?", roles.get(0).message());
    }
}
