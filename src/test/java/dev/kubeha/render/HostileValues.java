package dev.kubeha.render;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.facts.FactsFile;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.Choice;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Printable;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.TextFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Every text field of the answers and facts files, each fed every dangerous kind of value, and what came of it:
 * refused (with the problems) or accepted (with the files rendered from it).
 */
final class HostileValues {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    static final Path GUIDE = Path.of("assets/examples/guide.yaml");
    static final String FACTS_HOST = "worker1";
    /** One value of each dangerous kind; each is tried alone and after the field's usual value. */
    static final Map<String, String> DANGERS = ordered(
            "newline", "x\nExecStartPre=+/bin/sh -c id",
            "carriage return", "x\ry",
            "space", "x y",
            "tab", "x\ty",
            "double quote", "x\"y",
            "single quote", "x'y",
            "command substitution", "x$(id)",
            "backtick", "x`id`",
            "semicolon", "x;id",
            "hash", "x#y",
            "braces", "x{y}",
            "escape", "x\u001b[2J",
            "nul", "x\u0000y",
            "delete and C1 controls", "x\u007f\u009by",
            "bidirectional override", "x\u202ey\u2028",
            "dot dot", "x/../..",
            "very long", "a".repeat(5000));
    /**
     * How each facts-file key takes a text value: the field's path below the host, its usual value, and what is
     * written; a list gets the value beside its usual items, so that only the value itself is new.
     */
    static final List<FactField> FACT_FIELDS = List.of(
            simple("osId"), simple("osVersion"), simple("kernel"), simple("arch"), simple("cgroupVersion"),
            simple("containerdVersion"), simple("conntrackModule"),
            new FactField("interfaces", "interfaces[1].name", "eth1", v -> List.of(usualInterface(),
                    Map.of("name", v, "addresses", List.of("192.168.99.1/24")))),
            new FactField("interfaces", "interfaces[0].addresses[1]", "192.168.99.1/24",
                    v -> List.of(Map.of("name", "eth0", "addresses", List.of("10.0.8.6/24", v)))),
            new FactField("sysctls", "sysctls[" + FactsDefaults.SYSCTLS.size() + "]", "vm.panic_on_oom",
                    v -> Stream.concat(FactsDefaults.SYSCTLS.stream().sorted(), Stream.of(v)).toList()));

    /** One facts-file field: its key, its path below the host, a usual value, and how a value is written. */
    record FactField(String key, String path, String usual, Function<String, Object> yaml) {
    }

    /** One field fed one value: the problems, and when there were no errors the files rendered from it. */
    record Case(String field, String danger, String value, List<Problem> problems, Optional<List<RenderedFile>> files) {
        @Override
        public String toString() {
            return field + " <- " + danger + " " + Printable.of(value.length() > 60
                    ? value.substring(0, 60) + "…" : value);
        }
    }

    private HostileValues() {
    }

    static ClusterSpec guide() {
        return CheckedAnswers.check(GUIDE, TODAY).validSpec().orElseThrow();
    }

    /** Every file for a spec and facts: configuration and the etcd units. */
    static List<RenderedFile> render(ClusterSpec spec, Map<String, HostFacts> facts) {
        List<RenderedFile> files = new ArrayList<>(ConfigRenderer.render(spec, facts, Guide.SECRETS,
                Guide.CA_CERT_HASH));
        files.addAll(EtcdUnit.renderAll(spec, spec.etcd().install().etcdBinary()));
        return files;
    }

    static List<RenderedFile> baseline() {
        ClusterSpec spec = guide();
        return render(spec, FactsDefaults.forSpec(spec));
    }

    /** Every text field of the answers file with every danger, alone and after the field's value. */
    static Stream<Case> answers() {
        return answers(TextFields.of(guide()));
    }

    /** Every choice field of the answers file (containerRuntime, containerRuntimeInstall, etcd.install, ...) with every danger. */
    static Stream<Case> answerChoices() {
        return answers(choiceFields(guide(), ""));
    }

    /** These fields of the guide's answers file, by path with their usual value, each with every danger. */
    private static Stream<Case> answers(Map<String, String> fields) {
        Map<String, Object> guide = yaml(read(GUIDE));
        return fields.entrySet().stream().flatMap(field -> values(field.getValue()).entrySet()
                .stream().map(v -> {
                    Map<String, Object> doc = yaml(dump(guide));
                    set(doc, field.getKey(), v.getValue());
                    CheckedAnswers checked = CheckedAnswers.of(AnswersFile.parse("hostile.yaml", dump(doc)), TODAY);
                    Optional<List<RenderedFile>> files = checked.validSpec()
                            .map(spec -> render(spec, FactsDefaults.forSpec(spec)));
                    return new Case(field.getKey(), v.getKey(), v.getValue(), checked.problems(), files);
                }));
    }

    /** The spec's fields that hold a {@link Choice}, outside lists, by answers path, with their spelling. */
    static Map<String, String> choiceFields(Record record, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String at = path.isEmpty() ? component.getName() : path + "." + component.getName();
            if (value instanceof Choice choice) {
                out.put(at, choice.yamlName());
            } else if (value instanceof Record nested) {
                out.putAll(choiceFields(nested, at));
            }
        }
        return out;
    }

    /** Every text field of the facts file (for one load-balancer and control-plane host) with every danger. */
    static Stream<Case> facts() {
        ClusterSpec spec = guide();
        return FACT_FIELDS.stream().flatMap(field -> values(field.usual()).entrySet().stream().map(v -> {
            String text = dump(Map.of(FACTS_HOST, Map.of(field.key(), field.yaml().apply(v.getValue()))));
            FactsFile.Loaded loaded = FactsFile.parse("facts.yaml", text, spec);
            Optional<List<RenderedFile>> files = loaded.hasErrors() ? Optional.empty()
                    : Optional.of(render(spec, loaded.facts()));
            return new Case(FACTS_HOST + "." + field.path(), v.getKey(), v.getValue(), loaded.problems(), files);
        }));
    }

    private static Map<String, String> values(String usual) {
        String base = usual == null || usual.isEmpty() ? "x" : usual;
        Map<String, String> out = new LinkedHashMap<>();
        DANGERS.forEach((name, danger) -> {
            out.put(name, danger);
            out.put(name + " after the usual value", base + danger);
        });
        return out;
    }

    private static Map<String, Object> usualInterface() {
        return Map.of("name", "eth0", "addresses", List.of("10.0.8.6/24"));
    }

    private static FactField simple(String key) {
        return new FactField(key, key, usualFact(key), v -> v);
    }

    private static String usualFact(String key) {
        return switch (key) {
            case "osId" -> FactsDefaults.OS_ID;
            case "osVersion" -> FactsDefaults.OS_VERSION;
            case "kernel" -> FactsDefaults.KERNEL;
            case "arch" -> FactsDefaults.ARCH;
            case "cgroupVersion" -> "2";
            case "containerdVersion" -> FactsDefaults.CONTAINERD_VERSION;
            default -> "nf_conntrack";
        };
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> doc, String path, String value) {
        Object node = doc;
        String[] keys = path.split("\\.");
        for (int i = 0; i < keys.length; i++) {
            String key = keys[i];
            int index = -1;
            if (key.endsWith("]")) {
                index = Integer.parseInt(key.substring(key.indexOf('[') + 1, key.length() - 1));
                key = key.substring(0, key.indexOf('['));
            }
            Map<String, Object> map = (Map<String, Object>) node;
            boolean last = i == keys.length - 1;
            if (index >= 0) {
                node = ((List<Object>) map.get(key)).get(index);
            } else if (last) {
                map.put(key, value);
            } else {
                node = map.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Yaml().load(text);
    }

    private static String dump(Object doc) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setSplitLines(false);
        options.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
        return new Yaml(options).dump(doc);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
