package dev.kubeha.render;

import dev.kubeha.model.Json;
import dev.kubeha.model.Cidr;
import dev.kubeha.model.FlannelBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/** Patches a kube-flannel.yml so its net-conf.json matches the cluster: Network = podSubnet, the backend type. */
public final class FlannelManifest {
    static final String CONFIG_MAP = "kube-flannel-cfg";
    static final String NET_CONF = "net-conf.json";

    private FlannelManifest() {
    }

    /** The manifest text with only the net-conf.json block of the kube-flannel-cfg ConfigMap rewritten. */
    public static String patch(String manifest, String podSubnet, FlannelBackend backend) {
        Cidr pods = Cidr.parse(podSubnet)
                .orElseThrow(() -> new RenderException("network.podSubnet: '" + podSubnet + "' is not a CIDR"));
        Map<String, Object> netConf = new LinkedHashMap<>(netConf(manifest));
        if (pods.isIpv4()) {
            netConf.put("Network", pods.toString());
        } else {
            netConf.put("EnableIPv4", false);
            netConf.put("EnableIPv6", true);
            netConf.put("IPv6Network", pods.toString());
        }
        Object oldBackend = netConf.get("Backend");
        Map<String, Object> newBackend = new LinkedHashMap<>();
        if (oldBackend instanceof Map<?, ?> old && backend.yamlName().equals(old.get("Type"))) {
            old.forEach((k, v) -> newBackend.put(String.valueOf(k), v));
        }
        newBackend.put("Type", backend.yamlName());
        netConf.put("Backend", newBackend);
        return replaceNetConf(manifest, Json.write(netConf));
    }

    /** The parsed net-conf.json of the kube-flannel-cfg ConfigMap; a manifest without it is refused. */
    static Map<String, Object> netConf(String manifest) {
        try {
            for (Object doc : new Yaml(new LoaderOptions()).loadAll(manifest)) {
                if (doc instanceof Map<?, ?> map && "ConfigMap".equals(map.get("kind"))
                        && map.get("metadata") instanceof Map<?, ?> meta && CONFIG_MAP.equals(meta.get("name"))
                        && map.get("data") instanceof Map<?, ?> data && data.get(NET_CONF) instanceof String json) {
                    if (new Yaml(new LoaderOptions()).load(json) instanceof Map<?, ?> conf) {
                        Map<String, Object> out = new LinkedHashMap<>();
                        conf.forEach((k, v) -> out.put(String.valueOf(k), v));
                        return out;
                    }
                    throw new RenderException("flannel manifest: " + NET_CONF + " is not a JSON object");
                }
            }
        } catch (YAMLException e) {
            throw new RenderException("flannel manifest: not valid YAML: " + e.getMessage());
        }
        throw new RenderException("flannel manifest: no ConfigMap " + CONFIG_MAP + " with " + NET_CONF
                + "; is this kube-flannel.yml?");
    }

    private static String replaceNetConf(String manifest, String json) {
        List<String> lines = List.of(manifest.split("\n", -1));
        List<String> out = new ArrayList<>();
        boolean inConfigMap = false;
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("---")) {
                inConfigMap = false;
            }
            if (line.trim().equals("name: " + CONFIG_MAP)) {
                inConfigMap = true;
            }
            String trimmed = line.trim();
            if (inConfigMap && !replaced && trimmed.startsWith(NET_CONF + ":") && trimmed.endsWith("|")) {
                int keyIndent = line.indexOf(NET_CONF);
                out.add(line);
                int j = i + 1;
                String bodyIndent = " ".repeat(keyIndent + 2);
                while (j < lines.size() && (lines.get(j).isBlank() || indent(lines.get(j)) > keyIndent)) {
                    if (!lines.get(j).isBlank()) {
                        bodyIndent = " ".repeat(indent(lines.get(j)));
                        break;
                    }
                    j++;
                }
                while (j < lines.size() && (lines.get(j).isBlank() || indent(lines.get(j)) > keyIndent)) {
                    j++;
                }
                out.add(bodyIndent + json);
                i = j - 1;
                replaced = true;
                continue;
            }
            out.add(line);
        }
        if (!replaced) {
            throw new RenderException("flannel manifest: " + NET_CONF + " of " + CONFIG_MAP
                    + " is not a literal block (net-conf.json: |); cannot patch it");
        }
        return String.join("\n", out);
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }
}
