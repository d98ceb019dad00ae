package dev.kubeha.facts;

import dev.kubeha.answers.InputFile;
import dev.kubeha.answers.NodeReader.Fields;
import dev.kubeha.answers.NodeReader;
import dev.kubeha.answers.SourceMap;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.validate.Names;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

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
    public static final List<String> KEYS = List.of("osId", "osVersion", "kernel", "arch", "cgroupVersion",
            "containerdVersion", "conntrackModule", "interfaces", "sysctls");
    public static final List<String> INTERFACE_KEYS = List.of("name", "addresses");
    private static final Set<String> DEBIAN_IDS = Set.of("debian", "ubuntu");
    private static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9._~+-]{1,128}");
    /** The form of every key that holds a word, so that no value can become a line or a directive where it lands. */
    private static final Map<String, Word> WORDS = Map.of(
            "osId", new Word(Pattern.compile("[a-z0-9._-]{1,64}"), "an os-release ID such as debian or rocky"),
            "osVersion", new Word(RELEASE, "an os-release VERSION_ID such as 13 or 8.10"),
            "kernel", new Word(RELEASE, "a kernel release as uname -r prints it"),
            "arch", new Word(Pattern.compile("[a-z0-9_]{1,32}"), "an architecture such as amd64 or arm64"),
            "containerdVersion", new Word(RELEASE, "a containerd version such as 2.1.4"),
            "conntrackModule", new Word(Pattern.compile("[a-z0-9_]{1,64}"), "a kernel module such as nf_conntrack"),
            "sysctls", new Word(Pattern.compile("[A-Za-z0-9_./-]{1,256}"), "a sysctl key such as vm.panic_on_oom"),
            "addresses", new Word(Pattern.compile("[0-9A-Fa-f.:]{2,45}(/[0-9]{1,3})?"),
                    "an address such as 10.0.8.6/22"));

    private record Word(Pattern pattern, String description) {
    }

    private FactsFile() {
    }

    /**
     * Facts for every host of the spec, with which keys of each host still come from the defaults.
     *
     * @param facts every host's facts, sorted by host name
     * @param defaulted per host, the keys taken from {@link FactsDefaults} (all of them for hosts not in the file)
     * @param sourceMap the line of every path read, for the problems
     */
    public record Loaded(String source, Map<String, HostFacts> facts, Map<String, List<String>> defaulted,
                         List<Problem> problems, SourceMap sourceMap) {
        public Loaded {
            facts = Collections.unmodifiableMap(new TreeMap<>(facts));
            defaulted = Collections.unmodifiableMap(new TreeMap<>(defaulted));
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
            return parse(file.toString(), InputFile.readText(file), spec);
        } catch (NoSuchFileException e) {
            return failed(file.toString(), "no such file");
        } catch (CharacterCodingException e) {
            return failed(file.toString(), "the file is not UTF-8 text");
        } catch (InputFile.Refused e) {
            return failed(file.toString(), e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            return failed(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    public static Loaded parse(String source, String text, ClusterSpec spec) {
        Problems problems = new Problems();
        SourceMap sourceMap = new SourceMap();
        Optional<Node> root = NodeReader.compose(text, problems);
        if (!problems.list().isEmpty()) {
            return new Loaded(source, Map.of(), Map.of(), problems.list(), sourceMap);
        }
        NodeReader in = new NodeReader(problems, sourceMap);
        Map<String, HostSpec> hosts = new LinkedHashMap<>();
        spec.hosts().forEach(h -> hosts.put(h.name(), h));
        Map<String, HostFacts> facts = new TreeMap<>();
        Map<String, List<String>> defaulted = new TreeMap<>();
        for (HostSpec host : spec.hosts()) {
            facts.put(host.name(), FactsDefaults.forHost(host));
            defaulted.put(host.name(), KEYS);
        }
        List<String> names = List.copyOf(hosts.keySet());
        Fields top = in.mapping(root.orElse(null), "", names, name -> "no host named '" + name
                + "' in the answers file; hosts: " + String.join(", ", names)).orElse(new Fields("", Map.of()));
        for (Map.Entry<String, Node> entry : top.values().entrySet()) {
            HostSpec host = hosts.get(entry.getKey());
            Fields f = in.mapping(entry.getValue(), host.name(), KEYS).orElse(new Fields(host.name(), Map.of()));
            facts.put(host.name(), read(host, f, in, problems));
            defaulted.put(host.name(), KEYS.stream().filter(k -> !f.has(k)).toList());
        }
        return new Loaded(source, facts, defaulted, problems.list(), sourceMap);
    }

    private static HostFacts read(HostSpec host, Fields f, NodeReader in, Problems problems) {
        HostFacts d = FactsDefaults.forHost(host);
        String osId = word(in, f, "osId", d.osId(), problems);
        String kernel = word(in, f, "kernel", d.kernel(), problems);
        String osVersion = word(in, f, "osVersion", d.osVersion(), problems);
        String arch = word(in, f, "arch", d.arch(), problems);
        int cgroup = d.cgroupVersion();
        String cgroupText = in.string(f, "cgroupVersion", "");
        if (cgroupText.equals("1") || cgroupText.equals("2")) {
            cgroup = Integer.parseInt(cgroupText);
        } else if (!cgroupText.isEmpty()) {
            problems.error(f.path("cgroupVersion"), "must be 1 or 2");
        }
        Optional<String> containerd = f.has("containerdVersion")
                ? Optional.ofNullable(word(in, f, "containerdVersion", null, problems)).filter(v -> !v.isEmpty())
                : d.containerdVersion();
        String conntrack = ConntrackModule.choose(Optional.ofNullable(word(in, f, "conntrackModule", null, problems)),
                kernel);
        List<NetInterface> interfaces = f.has("interfaces") ? interfaces(f, in, problems) : d.interfaces();
        Set<String> sysctls = f.has("sysctls") ? Set.copyOf(words(in, f, "sysctls", problems)) : d.sysctls();
        return new HostFacts(host.name(), DEBIAN_IDS.contains(osId) ? OsFamily.DEBIAN : OsFamily.RHEL, osId,
                osVersion, kernel, arch, d.cpus(), d.memoryMb(), d.swapMb(), cgroup, d.machineId(), d.productUuid(),
                interfaces, containerd, conntrack, sysctls, f.values().size() < KEYS.size());
    }

    /** A single-value key checked against its {@link #WORDS} form; the fallback when absent or refused. */
    private static String word(NodeReader in, Fields f, String key, String fallback, Problems problems) {
        String value = in.string(f, key, fallback);
        Word form = WORDS.get(key);
        if (value == null || value.isEmpty() || form.pattern().matcher(value).matches()) {
            return value;
        }
        problems.error(f.path(key), "'" + value + "' is not " + form.description());
        return fallback;
    }

    private static List<String> words(NodeReader in, Fields f, String key, Problems problems) {
        List<String> values = in.strings(f, key);
        Word form = WORDS.get(key);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (form.pattern().matcher(values.get(i)).matches()) {
                out.add(values.get(i));
            } else {
                problems.error(f.path(key) + "[" + i + "]", "'" + values.get(i) + "' is not " + form.description());
            }
        }
        return out;
    }

    private static List<NetInterface> interfaces(Fields host, NodeReader in, Problems problems) {
        List<Node> items = in.sequence(host, "interfaces");
        List<NetInterface> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = host.path("interfaces") + "[" + i + "]";
            Optional<Fields> f = in.mapping(items.get(i), at, INTERFACE_KEYS);
            if (f.isEmpty()) {
                continue;
            }
            String name = in.string(f.get(), "name", "");
            if (name.isEmpty()) {
                problems.error(f.get().path("name"), "is required");
                continue;
            }
            if (!Names.isInterfaceName(name)) {
                problems.error(f.get().path("name"), "'" + name + "' is not a network interface name");
                continue;
            }
            out.add(new NetInterface(name, words(in, f.get(), "addresses", problems)));
        }
        return out;
    }

    private static Loaded failed(String source, String message) {
        return new Loaded(source, Map.of(), Map.of(), List.of(Problem.error("", message)), new SourceMap());
    }
}
