package dev.kubeha.facts;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.Problems;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a {@code --facts FILE}: host name to partial facts, each key overriding {@link FactsDefaults}.
 *
 * <pre>
 * worker1:
 *   kernel: 4.18.0-553.el8_10.x86_64
 *   osId: rocky
 *   osVersion: "8.10"
 *   cgroupVersion: 2
 *   containerdVersion: 1.7.27
 *   conntrackModule: nf_conntrack
 *   interfaces: [{name: ens192, addresses: [10.0.8.6/22]}]
 *   sysctls: [vm.panic_on_oom, fs.may_detach_mounts]
 * </pre>
 */
public final class FactsFile {
    static final List<String> KEYS = List.of("osId", "osVersion", "kernel", "arch", "cgroupVersion",
            "containerdVersion", "conntrackModule", "interfaces", "sysctls");
    private static final List<String> INTERFACE_KEYS = List.of("name", "addresses");
    private static final Set<String> DEBIAN_IDS = Set.of("debian", "ubuntu");

    private FactsFile() {
    }

    /**
     * Facts for every host of the spec, with which keys of each host still come from the defaults.
     *
     * @param facts every host's facts, sorted by host name
     * @param defaulted per host, the keys taken from {@link FactsDefaults} (all of them for hosts not in the file)
     */
    public record Loaded(String source, Map<String, HostFacts> facts, Map<String, List<String>> defaulted,
                         List<Problem> problems) {
        public Loaded {
            facts = java.util.Collections.unmodifiableMap(new TreeMap<>(facts));
            defaulted = java.util.Collections.unmodifiableMap(new TreeMap<>(defaulted));
            problems = List.copyOf(problems);
        }

        public boolean hasErrors() {
            return problems.stream().anyMatch(Problem::isError);
        }
    }

    /** Only defaults: what {@code kubeha render} uses without {@code --facts}. */
    public static Loaded defaults(ClusterSpec spec) {
        return parse("(defaults)", "{}", spec);
    }

    public static Loaded load(Path file, ClusterSpec spec) {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8), spec);
        } catch (NoSuchFileException e) {
            return failed(file.toString(), "no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            return failed(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    public static Loaded parse(String source, String text, ClusterSpec spec) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(1 << 20);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            return failed(source, "malformed YAML" + (mark == null ? "" : " at line " + (mark.getLine() + 1))
                    + ": " + e.getProblem());
        } catch (YAMLException e) {
            return failed(source, "malformed YAML: " + e.getMessage());
        }
        Problems problems = new Problems();
        Map<String, HostSpec> hosts = new LinkedHashMap<>();
        spec.hosts().forEach(h -> hosts.put(h.name(), h));
        Map<String, HostFacts> facts = new TreeMap<>();
        Map<String, List<String>> defaulted = new TreeMap<>();
        for (HostSpec host : spec.hosts()) {
            facts.put(host.name(), FactsDefaults.forHost(host));
            defaulted.put(host.name(), KEYS);
        }
        if (root != null && !(root instanceof ScalarNode s && s.getValue().isEmpty())) {
            for (Map.Entry<String, Node> entry : fields(root, "", List.copyOf(hosts.keySet()), problems).entrySet()) {
                HostSpec host = hosts.get(entry.getKey());
                Set<String> given = new TreeSet<>();
                facts.put(host.name(), read(host, entry.getValue(), given, problems));
                defaulted.put(host.name(), KEYS.stream().filter(k -> !given.contains(k)).toList());
            }
        }
        return new Loaded(source, facts, defaulted, problems.list());
    }

    private static HostFacts read(HostSpec host, Node node, Set<String> given, Problems problems) {
        HostFacts d = FactsDefaults.forHost(host);
        Map<String, Node> f = fields(node, host.name(), KEYS, problems);
        given.addAll(f.keySet());
        String osId = scalar(f, "osId", host.name(), problems).orElse(d.osId());
        String kernel = scalar(f, "kernel", host.name(), problems).orElse(d.kernel());
        int cgroup = d.cgroupVersion();
        Optional<String> cgroupText = scalar(f, "cgroupVersion", host.name(), problems);
        if (cgroupText.isPresent()) {
            if (cgroupText.get().equals("1") || cgroupText.get().equals("2")) {
                cgroup = Integer.parseInt(cgroupText.get());
            } else {
                problems.error(host.name() + ".cgroupVersion", at(f.get("cgroupVersion")) + "must be 1 or 2");
            }
        }
        Optional<String> containerd = f.containsKey("containerdVersion")
                ? scalar(f, "containerdVersion", host.name(), problems).filter(v -> !v.isEmpty())
                : d.containerdVersion();
        String conntrack = ConntrackModule.choose(scalar(f, "conntrackModule", host.name(), problems), kernel);
        List<NetInterface> interfaces = f.containsKey("interfaces")
                ? interfaces(f.get("interfaces"), host.name() + ".interfaces", problems) : d.interfaces();
        Set<String> sysctls = f.containsKey("sysctls")
                ? Set.copyOf(strings(f.get("sysctls"), host.name() + ".sysctls", problems)) : d.sysctls();
        return new HostFacts(host.name(), DEBIAN_IDS.contains(osId) ? OsFamily.DEBIAN : OsFamily.RHEL, osId,
                scalar(f, "osVersion", host.name(), problems).orElse(d.osVersion()), kernel,
                scalar(f, "arch", host.name(), problems).orElse(d.arch()), d.cpus(), d.memoryMb(), d.swapMb(),
                cgroup, d.machineId(), d.productUuid(), interfaces, containerd, conntrack, sysctls,
                given.size() < KEYS.size());
    }

    private static List<NetInterface> interfaces(Node node, String path, Problems problems) {
        if (!(node instanceof SequenceNode seq)) {
            problems.error(path, at(node) + "must be a list of {name, addresses}");
            return List.of();
        }
        List<NetInterface> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String at = path + "[" + i + "]";
            Map<String, Node> f = fields(seq.getValue().get(i), at, INTERFACE_KEYS, problems);
            Optional<String> name = scalar(f, "name", at, problems);
            if (name.isEmpty()) {
                problems.error(at + ".name", at(seq.getValue().get(i)) + "is required");
                continue;
            }
            out.add(new NetInterface(name.get(), f.containsKey("addresses")
                    ? strings(f.get("addresses"), at + ".addresses", problems) : List.of()));
        }
        return out;
    }

    private static List<String> strings(Node node, String path, Problems problems) {
        if (!(node instanceof SequenceNode seq)) {
            problems.error(path, at(node) + "must be a list");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (item instanceof ScalarNode s) {
                out.add(s.getValue().trim());
            } else {
                problems.error(path, at(item) + "items must be single values");
            }
        }
        return out;
    }

    /** The known keys of a mapping; unknown and duplicate keys are problems that name their line. */
    private static Map<String, Node> fields(Node node, String path, List<String> known, Problems problems) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode map)) {
            problems.error(path, at(node) + "must be a mapping" + (known.isEmpty() ? "" : " of "
                    + String.join(", ", known)));
            return out;
        }
        for (NodeTuple tuple : map.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            String keyPath = path.isEmpty() ? key : path + "." + key;
            if (out.containsKey(key)) {
                problems.error(keyPath, at(tuple.getKeyNode()) + "duplicate key");
            } else if (known.contains(key)) {
                out.put(key, tuple.getValueNode());
            } else if (path.isEmpty()) {
                problems.error(keyPath, at(tuple.getKeyNode()) + "no host named '" + key
                        + "' in the answers file; hosts: " + String.join(", ", known));
            } else {
                problems.error(keyPath, at(tuple.getKeyNode()) + "unknown key; known keys: " + String.join(", ", known));
            }
        }
        return out;
    }

    private static Optional<String> scalar(Map<String, Node> f, String key, String path, Problems problems) {
        Node node = f.get(key);
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof ScalarNode s) {
            return Optional.of(s.getValue().trim());
        }
        problems.error(path + "." + key, at(node) + "must be a single value");
        return Optional.empty();
    }

    private static String at(Node node) {
        return node == null || node.getStartMark() == null ? "" : "line " + (node.getStartMark().getLine() + 1) + ": ";
    }

    private static Loaded failed(String source, String message) {
        return new Loaded(source, Map.of(), Map.of(), List.of(Problem.error("", message)));
    }
}
