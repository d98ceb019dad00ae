package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.FactsFile;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.RuntimeArchive;
import dev.kubeha.model.RuntimeArchives;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.yaml.snakeyaml.Yaml;

/**
 * containerd's config for 2.x (version 3) and 1.x (version 2), checked by its tables and keys and parsed by a TOML
 * parser (no containerd binary is at hand to run {@code containerd config dump}); the units kubeha writes for the
 * release archives, golden.
 */
class ContainerRuntimeConfigTest {
    private final ClusterSpec spec = Guide.spec();
    private final ClusterSpec distribution = new ClusterSpec(spec.cluster(), spec.ssh(), spec.hosts(),
            spec.loadBalancer(), spec.network(), spec.etcd(), ContainerRuntime.CONTAINERD, RuntimeInstall.DISTRIBUTION,
            spec.addons());

    @Test
    void containerd2UsesConfigVersion3() {
        String toml = OsPreparationTest.file(ContainerRuntimeConfig.render(spec, Guide.facts(spec)), "worker1",
                ContainerRuntimeConfig.CONTAINERD);
        Map<String, Map<String, String>> tables = tables(toml);
        assertEquals(Map.of("version", "3"), tables.get(""));
        assertEquals(Map.of("sandbox", "'registry.k8s.io/pause:3.10.2'"),
                tables.get("plugins.'io.containerd.cri.v1.images'.pinned_images"));
        assertEquals(Map.of("runtime_type", "'io.containerd.runc.v2'"),
                tables.get("plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc"));
        assertEquals(Map.of("SystemdCgroup", "true"),
                tables.get("plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options"));
        assertEquals(4, tables.size(), "the top level and three tables");
    }

    @Test
    void containerd17UsesConfigVersion2() {
        FactsFile.Loaded facts = FactsFile.parse("f", "worker2: {containerdVersion: 1.7.27}\n", spec);
        String toml = OsPreparationTest.file(ContainerRuntimeConfig.render(distribution, facts.facts()), "worker2",
                ContainerRuntimeConfig.CONTAINERD);
        Map<String, Map<String, String>> tables = tables(toml);
        assertEquals(Map.of("version", "2"), tables.get(""));
        assertEquals(Map.of("sandbox_image", "\"registry.k8s.io/pause:3.10.2\""),
                tables.get("plugins.\"io.containerd.grpc.v1.cri\""));
        assertEquals(Map.of("SystemdCgroup", "true"),
                tables.get("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options"));
    }

    @Test
    void dockerGetsDaemonJsonAndCriDockerdsOwnUnitsWithThePauseImage() throws IOException {
        ClusterSpec docker = new ClusterSpec(spec.cluster(), spec.ssh(), spec.hosts(), spec.loadBalancer(),
                spec.network(), spec.etcd(), ContainerRuntime.DOCKER, spec.addons());
        List<RenderedFile> files = ContainerRuntimeConfig.render(docker, Guide.facts(spec));
        String daemon = OsPreparationTest.file(files, "worker1", ContainerRuntimeConfig.DOCKER);
        Object parsed = new Yaml().load(daemon);
        assertEquals(Map.of("exec-opts", List.of("native.cgroupdriver=systemd"), "log-driver", "json-file",
                "log-opts", Map.of("max-size", "100m"), "storage-driver", "overlay2"), parsed);
        assertEquals(EtcdUnitTest.golden("cri-docker.service"),
                OsPreparationTest.file(files, "worker1", ContainerRuntimeConfig.CRI_DOCKERD_SERVICE));
        assertEquals(EtcdUnitTest.golden("cri-docker.socket"),
                OsPreparationTest.file(files, "worker1", ContainerRuntimeConfig.CRI_DOCKERD_SOCKET));
        assertTrue(files.stream().noneMatch(f -> f.path().equals(ContainerRuntimeConfig.CONTAINERD)
                || f.path().equals(ContainerRuntimeConfig.CONTAINERD_UNIT)));
    }

    @Test
    void debianNodesGetContainerdFromTheArchiveWithItsOwnUnitAndConfigVersion3() throws IOException {
        List<RenderedFile> files = ContainerRuntimeConfig.render(spec, Guide.facts(spec));
        assertEquals(EtcdUnitTest.golden("containerd.service"),
                OsPreparationTest.file(files, "worker1", ContainerRuntimeConfig.CONTAINERD_UNIT));
        TomlParseResult toml = Toml.parse(OsPreparationTest.file(files, "worker1", ContainerRuntimeConfig.CONTAINERD));
        assertEquals(List.of(), toml.errors().stream().map(Object::toString).toList());
        assertEquals(3L, toml.getLong("version"));
        assertEquals("registry.k8s.io/pause:3.10.2",
                toml.getString(List.of("plugins", "io.containerd.cri.v1.images", "pinned_images", "sandbox")));
        assertEquals(Boolean.TRUE, toml.getBoolean(List.of("plugins", "io.containerd.cri.v1.runtime", "containerd",
                "runtimes", "runc", "options", "SystemdCgroup")));
        assertEquals("io.containerd.runc.v2", toml.getString(List.of("plugins", "io.containerd.cri.v1.runtime",
                "containerd", "runtimes", "runc", "runtime_type")));
    }

    @Test
    void theContainerdTheAnswersGiveDecidesTheConfigVersion() {
        String sha = "c5f756909e9d4b20c275b491625448fb3792b030b091c3749c0011b79ea3ff12";
        for (String given : List.of("2.1.9", "1.7.28")) {
            ClusterSpec s = GuideSpecs.withRuntimeArchives(spec, new RuntimeArchives(new RuntimeArchive(given, "",
                    sha), RuntimeArchive.PINNED, RuntimeArchive.PINNED));
            List<RenderedFile> files = ContainerRuntimeConfig.render(s, Guide.facts(s));
            TomlParseResult toml = Toml.parse(OsPreparationTest.file(files, "worker1",
                    ContainerRuntimeConfig.CONTAINERD));
            assertEquals(given.startsWith("2.") ? 3L : 2L, toml.getLong("version"), given);
            assertTrue(OsPreparationTest.file(files, "worker1", ContainerRuntimeConfig.CONTAINERD).contains(given),
                    "the config names the containerd it is for: " + given);
        }
    }

    @Test
    void theDistributionsContainerdGetsNoUnitAndItsConfigParsesAsToml() {
        FactsFile.Loaded none = FactsFile.parse("f", "worker1: {containerdVersion: ''}\n", spec);
        List<RenderedFile> files = ContainerRuntimeConfig.render(distribution, none.facts());
        assertTrue(files.stream().noneMatch(f -> f.path().equals(ContainerRuntimeConfig.CONTAINERD_UNIT)));
        TomlParseResult toml = Toml.parse(OsPreparationTest.file(files, "worker1", ContainerRuntimeConfig.CONTAINERD));
        assertEquals(List.of(), toml.errors().stream().map(Object::toString).toList());
        assertEquals(2L, toml.getLong("version"), "the package may be 1.7; 2.x migrates a version 2 file");
        assertEquals("registry.k8s.io/pause:3.10.2",
                toml.getString(List.of("plugins", "io.containerd.grpc.v1.cri", "sandbox_image")));
        assertEquals(Boolean.TRUE, toml.getBoolean(List.of("plugins", "io.containerd.grpc.v1.cri", "containerd",
                "runtimes", "runc", "options", "SystemdCgroup")));
    }

    private static Map<String, Map<String, String>> tables(String toml) {
        Map<String, Map<String, String>> tables = new TreeMap<>();
        String table = "";
        tables.put(table, new TreeMap<>());
        for (String raw : toml.split("\n")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                assertTrue(line.endsWith("]"), line);
                table = line.substring(1, line.length() - 1);
                assertTrue(tables.put(table, new TreeMap<>()) == null, "table twice: " + table);
            } else {
                String[] kv = line.split(" = ", 2);
                assertEquals(2, kv.length, "not key = value: " + line);
                tables.get(table).put(kv[0], kv[1]);
            }
        }
        return tables;
    }
}
