package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemd-analyze verify} on the rendered units. It exits 0 on unknown keys and only warns, so the test also
 * demands that it prints nothing. It checks that ExecStart's binary exists, so the units are rendered with the
 * binary this machine has, {@code /usr/bin/etcd}; it does not look up User=/Group= (a unit naming a user that does
 * not exist still verifies, checked below), so the etcd user need not exist here.
 */
@Tag("tools")
class EtcdUnitSystemdTest {
    static final String LOCAL_ETCD = "/usr/bin/etcd";

    @TempDir
    Path tmp;

    @Test
    void everyMembersUnitVerifiesWithoutAWord() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        for (HostSpec member : spec.hostsWith(Role.ETCD)) {
            Processes.Result r = verify(member.name(), EtcdUnit.render(spec, member, LOCAL_ETCD).text());
            assertEquals(0, r.exitCode(), member.name() + ": " + r.output());
            assertEquals("", r.output(), member.name());
        }
    }

    @Test
    void theCheckSeesMistakes() throws IOException {
        ClusterSpec spec = GuideSpecs.guide();
        String unit = EtcdUnit.render(spec, spec.hostsWith(Role.ETCD).get(0), LOCAL_ETCD).text();

        Processes.Result misspelt = verify("misspelt", unit.replace("Restart=always", "Restrat=always"));
        assertTrue(misspelt.output().contains("Unknown key 'Restrat'"), misspelt.output());

        Processes.Result missingBinary = verify("missing", unit.replace(LOCAL_ETCD, "/nonexistent/etcd"));
        assertNotEquals(0, missingBinary.exitCode(), missingBinary.output());

        Processes.Result unknownUser = verify("user", unit.replace("User=etcd", "User=no-such-user-kubeha"));
        assertEquals(0, unknownUser.exitCode(), "verify does not resolve users: " + unknownUser.output());
    }

    private Processes.Result verify(String name, String text) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path unit = dir.resolve("etcd.service");
        Files.writeString(unit, text);
        return Processes.run(Duration.ofSeconds(60), List.of("systemd-analyze", "verify", unit.toString()));
    }
}
