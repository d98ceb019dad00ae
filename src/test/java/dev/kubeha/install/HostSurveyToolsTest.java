package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.render.HostsBlock;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The survey's drift check of /etc/hosts, run by bash on a copy: only kubeha's block counts. */
@Tag("tools")
class HostSurveyToolsTest {
    @TempDir
    Path dir;

    List<String> drift(String hostsText) throws Exception {
        ClusterSpec spec = GuideSpecs.guide();
        RenderedFile rendered = RenderedFile.text("ceph1", HostsBlock.PATH, 0644, HostsBlock.merge("", spec));
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, hostsText);
        String line = HostSurvey.script(spec, spec.hosts().stream().filter(h -> h.name().equals("ceph1")).findFirst()
                .orElseThrow(), List.of(rendered), false, false).lines().filter(l -> l.contains("sed -n"))
                .findFirst().orElseThrow().replace(HostsBlock.PATH, hosts.toString());
        Processes.Result r = Processes.run(Duration.ofSeconds(30), List.of("bash", "-c", line));
        assertEquals(0, r.exitCode(), r.stderr());
        return HostSurvey.parse("ceph1", r.stdout().replace(hosts.toString(), HostsBlock.PATH), List.of(rendered))
                .drift();
    }

    @Test
    void theHostsOwnLinesAroundKubehasBlockAreNoDriftButAChangedBlockIs() throws Exception {
        String block = HostsBlock.block(GuideSpecs.guide());
        assertEquals(List.of(), drift("127.0.0.1 localhost\n" + block + "::1 localhost ip6-localhost\n"));
        assertEquals(List.of(HostsBlock.PATH), drift("127.0.0.1 localhost\n"
                + block.replace("10.0.8.6", "10.0.8.7")));
        assertEquals(List.of(HostsBlock.PATH), drift("127.0.0.1 localhost\n"));
    }
}
