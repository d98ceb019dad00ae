package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Every key kubeha writes into a kubeadm file must be a field of its kind and API version. */
class KubeadmSchemaTest {
    private static final Path SCHEMAS = Path.of("src/test/resources/kubeadm-schema");
    private final ClusterSpec spec = Guide.spec();

    @Test
    void everyKeyOfEveryRenderedDocumentIsAKnownField() throws IOException {
        List<RenderedFile> files = KubeadmConfig.render(spec, Guide.SECRETS, Guide.CA_CERT_HASH);
        Set<String> kinds = new TreeSet<>();
        for (RenderedFile file : files) {
            for (Object doc : new Yaml(new LoaderOptions()).loadAll(file.text())) {
                Map<?, ?> map = (Map<?, ?>) doc;
                kinds.add(String.valueOf(map.get("kind")));
                assertEquals(List.of(), unknownKeys(map), file + " " + map.get("kind"));
            }
        }
        assertEquals(Set.of("InitConfiguration", "ClusterConfiguration", "KubeProxyConfiguration",
                "KubeletConfiguration", "JoinConfiguration"), kinds);
    }

    @Test
    void theGuidesKubeProxyBlockIsRejected() throws IOException {
        String guide = """
                apiVersion: kubeadm.k8s.io/v1beta4
                kind: ClusterConfiguration
                kubernetesVersion: v1.36.3
                kubeProxy:
                  config:
                    mode: "ipvs"
                """;
        Map<?, ?> doc = new Yaml(new LoaderOptions()).load(guide);
        assertEquals(List.of("kubeProxy", "kubeProxy.config", "kubeProxy.config.mode"), unknownKeys(doc));
    }

    @Test
    void stackedEtcdAndNoVipStillMatchTheSchema() throws IOException {
        ClusterSpec stacked = spec.withHosts(spec.hosts().stream().filter(h -> !h.name().startsWith("ceph"))
                .toList());
        String init = KubeadmConfig.render(stacked, Guide.SECRETS, Guide.CA_CERT_HASH).get(0).text();
        assertTrue(init.contains("  local:\n    dataDir: /data/etcd\n"), init);
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(init)) {
            assertEquals(List.of(), unknownKeys((Map<?, ?>) doc));
        }
    }

    static List<String> unknownKeys(Map<?, ?> doc) throws IOException {
        String api = String.valueOf(doc.get("apiVersion"));
        Path schema = SCHEMAS.resolve(doc.get("kind") + "." + api.replace('/', '_') + ".txt");
        assertTrue(Files.isRegularFile(schema), "no field list " + schema);
        Set<String> known = new TreeSet<>();
        for (String line : Files.readAllLines(schema, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                known.add(line.trim());
            }
        }
        List<String> unknown = new ArrayList<>();
        walk(doc, "", known, unknown);
        return unknown;
    }

    private static void walk(Object node, String path, Set<String> known, List<String> unknown) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String p = path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey();
                if (covered(p, known)) {
                    walk(e.getValue(), p, known, unknown);
                } else {
                    unknown.add(p);
                    walk(e.getValue(), p, Set.of(), unknown);
                }
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                walk(item, path + "[]", known, unknown);
            }
        }
    }

    private static boolean covered(String path, Set<String> known) {
        if (known.contains(path)) {
            return true;
        }
        for (int cut = path.lastIndexOf('.'); cut > 0; cut = path.lastIndexOf('.', cut - 1)) {
            if (known.contains(path.substring(0, cut) + ".*")) {
                return true;
            }
        }
        return false;
    }
}
