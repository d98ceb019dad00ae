package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real readers on what the hostile values of {@link HostileValues} rendered: every distinct etcd unit,
 * haproxy.cfg and keepalived.conf that an accepted value produced (and the guide's) passes systemd-analyze verify,
 * haproxy -c and keepalived -t without a word; and an Exec argument holding every dangerous character, as the unit
 * quoting writes it, still verifies as one argument.
 */
@Tag("tools")
class HostileValuesToolsTest {
    private static final Pattern INTERFACE = Pattern.compile("(?m)^    interface (\\S+)$");

    @TempDir
    Path tmp;

    @Test
    void everyAcceptedValueRendersFilesTheRealToolsAccept() throws IOException {
        Map<String, RenderedFile> distinct = new LinkedHashMap<>();
        Stream.concat(Stream.of(HostileValues.baseline()), Stream.concat(HostileValues.answers(),
                        HostileValues.facts()).flatMap(c -> c.files().stream()))
                .flatMap(List::stream)
                .filter(f -> f.path().equals(EtcdUnit.PATH) || f.path().equals(HaproxyConfig.PATH)
                        || f.path().equals(Keepalived.CONFIG))
                .forEach(f -> distinct.putIfAbsent(f.path() + "\n" + f.text(), f));
        assertTrue(distinct.size() >= 3, "the guide's three kinds at least");
        int n = 0;
        for (RenderedFile file : distinct.values()) {
            Path dir = Files.createDirectories(tmp.resolve("case" + n++));
            switch (file.path()) {
                case EtcdUnit.PATH -> {
                    Path unit = dir.resolve("etcd.service");
                    Files.writeString(unit, file.text().replace(EtcdUnit.DEFAULT_BINARY,
                            EtcdUnitSystemdTest.LOCAL_ETCD));
                    Tools.Result r = Tools.run(List.of("systemd-analyze", "verify", unit.toString()));
                    assertEquals(0, r.exit(), r.output());
                    assertEquals("", r.output(), file.text());
                }
                case HaproxyConfig.PATH -> {
                    Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), file.text());
                    Tools.Result r = Tools.run(List.of("haproxy", "-c", "-f", cfg.toString()));
                    assertEquals(0, r.exit(), r.output());
                    assertTrue(!r.output().contains("WARNING") && !r.output().contains("ALERT"), r.output());
                }
                default -> {
                    Path script = Tools.write(dir, RenderedFile.text(file.host(), "/check_haproxy.sh", 0755,
                            "#!/bin/sh\nexit 0\n")).toAbsolutePath();
                    Path cfg = Files.writeString(dir.resolve("keepalived.conf"),
                            file.text().replace(Keepalived.CHECK_SCRIPT, script.toString())).toAbsolutePath();
                    Matcher nic = INTERFACE.matcher(file.text());
                    assertTrue(nic.find(), file.text());
                    assertEquals("", Tools.keepalivedComplaints(cfg, nic.group(1)), file.text());
                }
            }
        }
    }

    @Test
    void anArgumentWithEveryDangerousCharacterStaysOneArgument() throws IOException {
        String hostile = String.join("", HostileValues.DANGERS.values()).replace("\u0000", "") + "%n$HOME\\";
        ClusterSpec guide = GuideSpecs.guide();
        EtcdSpec e = guide.etcd();
        ClusterSpec spec = GuideSpecs.withEtcd(guide, new EtcdSpec(e.version(), "/data/" + hostile, e.certDir(),
                e.keyAlgorithm(), e.certificateValidityDays()));
        HostSpec member = spec.hostsWith(Role.ETCD).get(0);
        String text = EtcdUnit.render(spec, member, EtcdUnitSystemdTest.LOCAL_ETCD).text();
        Path unit = Files.writeString(tmp.resolve("etcd.service"), text);
        Tools.Result r = Tools.run(List.of("systemd-analyze", "verify", unit.toString()));
        assertEquals(0, r.exit(), r.output());
        assertEquals("", r.output(), text);
        String execStart = text.replace("\\\n", " ").lines().filter(l -> l.startsWith("ExecStart=")).findFirst()
                .orElseThrow().substring("ExecStart=".length());
        List<String> args = FileStructure.arguments(execStart);
        assertTrue(args.contains("--data-dir=/data/" + hostile), args.toString());
        assertEquals(FileStructure.arguments(EtcdUnit.render(guide, member, EtcdUnitSystemdTest.LOCAL_ETCD).text()
                .replace("\\\n", " ").lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                .substring("ExecStart=".length())).size(), args.size());
        assertTrue(text.lines().noneMatch(l -> l.startsWith("ExecStartPre")), text);
    }
}
