package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.FactsFile;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** No TOML parser is on the classpath, so the TOML is checked structurally: its tables and their keys. */
class ContainerRuntimeConfigTest {
    private final ClusterSpec spec = Guide.spec();

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
        String toml = OsPreparationTest.file(ContainerRuntimeConfig.render(spec, facts.facts()), "worker2",
                ContainerRuntimeConfig.CONTAINERD);
        Map<String, Map<String, String>> tables = tables(toml);
        assertEquals(Map.of("version", "2"), tables.get(""));
        assertEquals(Map.of("sandbox_image", "\"registry.k8s.io/pause:3.10.2\""),
                tables.get("plugins.\"io.containerd.grpc.v1.cri\""));
        assertEquals(Map.of("SystemdCgroup", "true"),
                tables.get("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options"));
    }

    @Test
    void dockerGetsDaemonJsonAndCriDockerdPauseImage() {
        ClusterSpec docker = new ClusterSpec(spec.cluster(), spec.ssh(), spec.hosts(), spec.loadBalancer(),
                spec.network(), spec.etcd(), ContainerRuntime.DOCKER, spec.addons());
        List<RenderedFile> files = ContainerRuntimeConfig.render(docker, Guide.facts(spec));
        String daemon = OsPreparationTest.file(files, "worker1", ContainerRuntimeConfig.DOCKER);
        Object parsed = new Yaml().load(daemon);
        assertEquals(Map.of("exec-opts", List.of("native.cgroupdriver=systemd"), "log-driver", "json-file",
                "log-opts", Map.of("max-size", "100m"), "storage-driver", "overlay2"), parsed);
        String dropIn = OsPreparationTest.file(files, "worker1", ContainerRuntimeConfig.CRI_DOCKERD_DROP_IN);
        assertTrue(dropIn.contains("\nExecStart=\nExecStart=/usr/bin/cri-dockerd --container-runtime-endpoint fd://"
                + " --pod-infra-container-image=registry.k8s.io/pause:3.10.2\n"), dropIn);
        assertTrue(files.stream().noneMatch(f -> f.path().equals(ContainerRuntimeConfig.CONTAINERD)));
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
