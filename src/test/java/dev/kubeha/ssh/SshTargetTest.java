package dev.kubeha.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.SshSpec;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SshTargetTest {
    private static final Path HOME = Path.of("/home/op");

    @Test
    void hostSettingsOverrideTheSshDefaultsAndExpandTheHomeDirectory() {
        SshSpec ssh = new SshSpec("admin", 2222, "~/.ssh/id_ed25519", true, "");
        SshTarget plain = SshTarget.of(new HostSpec("cp1", "10.0.0.1", Set.of(Role.CONTROL_PLANE)), ssh, HOME);
        assertEquals(new SshTarget("10.0.0.1", 2222, "admin", Optional.of(Path.of("/home/op/.ssh/id_ed25519")),
                Optional.empty()), plain);
        SshTarget custom = SshTarget.of(new HostSpec("cp2", "10.0.0.2", Set.of(Role.CONTROL_PLANE), 22, "root",
                "/keys/cp2"), ssh, HOME);
        assertEquals(new SshTarget("10.0.0.2", 22, "root", Optional.of(Path.of("/keys/cp2")), Optional.empty()),
                custom);
        assertEquals("root@10.0.0.2:22", custom.where());
    }

    @Test
    void bastionDefaultsToTheSshUserAndPort22AndAcceptsBracketedIpv6() {
        SshSpec ssh = new SshSpec("admin", 22, "", true, "jump.example.org");
        SshTarget target = SshTarget.of(new HostSpec("n", "fd00::5", Set.of(Role.WORKER)), ssh, HOME);
        SshTarget jump = new SshTarget("jump.example.org", 22, "admin", Optional.empty(), Optional.empty());
        assertEquals(Optional.of(jump), target.bastion());
        assertEquals("admin@[fd00::5]:22 via admin@jump.example.org:22", target.where());
        assertEquals(new SshTarget("fd00::1", 2200, "ops", Optional.empty(), Optional.empty()),
                SshTarget.bastion(new SshSpec("admin", 22, "", true, "ops@[fd00::1]:2200"), HOME).orElseThrow());
    }
}
