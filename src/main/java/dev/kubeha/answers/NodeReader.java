package dev.kubeha.answers;

import dev.kubeha.model.Choice;
import dev.kubeha.validate.Problems;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/** Composes a YAML file and reads typed values out of it, recording each field's line and every problem. */
public final class NodeReader {
    static final int MAX_SIZE = 1 << 20;
    private static final Set<String> SECRET_KEYS = Set.of("password", "passphrase", "sudopassword", "token",
            "bootstraptoken", "certificatekey", "privatekey", "key", "secret", "authpass", "vrrppassword",
            "statspassword");

    private final Problems problems;
    private final SourceMap sourceMap;
    private final boolean rejectSecrets;

    public NodeReader(Problems problems, SourceMap sourceMap) {
        this(problems, sourceMap, false);
    }

    private NodeReader(Problems problems, SourceMap sourceMap, boolean rejectSecrets) {
        this.problems = problems;
        this.sourceMap = sourceMap;
        this.rejectSecrets = rejectSecrets;
    }

    /** The reader of answers files, where a key that looks like a secret is refused as one. */
    static NodeReader rejectingSecrets(Problems problems, SourceMap sourceMap) {
        return new NodeReader(problems, sourceMap, true);
    }

    /** The document of the text; empty when it holds none, or when it is not YAML (then reported with its position). */
    public static Optional<Node> compose(String text, Problems problems) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(MAX_SIZE);
            // What Yaml.compose does, without the Yaml object's constructor and representer it never uses here
            // (they start java.beans and the platform logger, which looks for a logging service in every jar).
            return Optional.ofNullable(new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options),
                    new Resolver(), options).getSingleNode());
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.error("", "malformed YAML" + (mark == null ? "" : " at line " + (mark.getLine() + 1)
                    + ", column " + (mark.getColumn() + 1)) + ": " + e.getProblem());
        } catch (YAMLException e) {
            problems.error("", "malformed YAML: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** The known fields of a mapping; unknown and duplicate keys are reported. */
    public Optional<Fields> mapping(Node node, String path, List<String> known) {
        return mapping(node, path, known, key -> "unknown key" + Suggest.nearest(key, known)
                .map(k -> "; did you mean " + k + "?").orElse("; known keys: " + String.join(", ", known)));
    }

    /** The known fields of a mapping; {@code unknown} words the problem for a key that is not known. */
    public Optional<Fields> mapping(Node node, String path, List<String> known, Function<String, String> unknown) {
        if (node == null || isNull(node)) {
            return Optional.of(new Fields(path, Map.of()));
        }
        mark(path, node);
        if (!(node instanceof MappingNode map)) {
            problems.error(path, "must be a mapping of " + String.join(", ", known));
            return Optional.empty();
        }
        Map<String, Node> fields = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            String keyPath = join(path, key);
            int line = line(tuple.getKeyNode());
            sourceMap.put(keyPath, line);
            if (firstLine.containsKey(key)) {
                problems.errorAtLine(keyPath, line, "duplicate key (first at line " + firstLine.get(key) + ")");
                continue;
            }
            firstLine.put(key, line);
            if (known.contains(key)) {
                mark(keyPath, tuple.getValueNode());
                fields.put(key, tuple.getValueNode());
            } else if (rejectSecrets && SECRET_KEYS.contains(
                    key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", ""))) {
                problems.error(keyPath, "secrets are never kept in the answers file; kubeha asks for passwords and"
                        + " passphrases when it needs them and keeps generated secrets in its 0600 state directory");
            } else {
                problems.error(keyPath, unknown.apply(key));
            }
        }
        return Optional.of(new Fields(path, fields));
    }

    public String string(Fields f, String key, String fallback) {
        Node node = f.get(key);
        if (node == null || isNull(node)) {
            return fallback;
        }
        if (node instanceof ScalarNode s) {
            return s.getValue().trim();
        }
        problems.error(f.path(key), "must be a single value, not a list or mapping");
        return fallback;
    }

    /** A string field that is left out (null) rather than defaulted when absent. */
    public String optionalString(Fields f, String key) {
        return string(f, key, null);
    }

    public int integer(Fields f, String key, int fallback) {
        Integer value = optionalInteger(f, key);
        return value == null ? fallback : value;
    }

    public Integer optionalInteger(Fields f, String key) {
        String text = string(f, key, null);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            problems.error(f.path(key), "'" + text + "' is not a whole number");
            return null;
        }
    }

    public boolean bool(Fields f, String key, boolean fallback) {
        String text = string(f, key, null);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.error(f.path(key), "'" + text + "' is not true or false");
                yield fallback;
            }
        };
    }

    public <E extends Enum<E> & Choice> E choice(Fields f, String key, Class<E> type, E fallback) {
        String text = string(f, key, null);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        List<E> values = Arrays.asList(type.getEnumConstants());
        for (E value : values) {
            if (value.yamlName().equals(text)) {
                return value;
            }
        }
        List<String> names = values.stream().map(Choice::yamlName).toList();
        problems.error(f.path(key), "'" + text + "' is not one of " + String.join(", ", names)
                + Suggest.nearest(text, names).map(n -> "; did you mean " + n + "?").orElse(""));
        return fallback;
    }

    /** The items of a list field, or an empty list (with a problem) when it is not a list. */
    public List<Node> sequence(Fields f, String key) {
        Node node = f.get(key);
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (node instanceof SequenceNode seq) {
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                mark(f.path(key) + "[" + i + "]", items.get(i));
            }
            return items;
        }
        problems.error(f.path(key), "must be a list");
        return List.of();
    }

    /** The items of a list of single values, each trimmed; an item that is a list or mapping is reported. */
    public List<String> strings(Fields f, String key) {
        List<Node> items = sequence(f, key);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof ScalarNode s) {
                values.add(s.getValue().trim());
            } else {
                problems.error(f.path(key) + "[" + i + "]", "must be a single value, not a list or mapping");
            }
        }
        return values;
    }

    void mark(String path, Node node) {
        sourceMap.put(path, line(node));
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The recognised keys of one mapping, with its path. */
    public record Fields(String path, Map<String, Node> values) {
        public Node get(String key) {
            return values.get(key);
        }

        public boolean has(String key) {
            return values.containsKey(key);
        }

        public String path(String key) {
            return join(path, key);
        }
    }
}
