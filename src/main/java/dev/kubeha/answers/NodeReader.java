package dev.kubeha.answers;

import dev.kubeha.model.Choice;
import dev.kubeha.validate.Problems;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads typed values out of a composed YAML tree, recording each field's line and every problem. */
final class NodeReader {
    private static final Set<String> SECRET_KEYS = Set.of("password", "passphrase", "sudopassword", "token",
            "bootstraptoken", "certificatekey", "privatekey", "key", "secret", "authpass", "vrrppassword",
            "statspassword");

    private final Problems problems;
    private final SourceMap sourceMap;

    NodeReader(Problems problems, SourceMap sourceMap) {
        this.problems = problems;
        this.sourceMap = sourceMap;
    }

    /** The known fields of a mapping; unknown, duplicate and secret keys are reported. */
    Optional<Fields> mapping(Node node, String path, List<String> known) {
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
                problems.error(keyPath, "duplicate key (first at line " + firstLine.get(key) + ")");
                continue;
            }
            firstLine.put(key, line);
            if (known.contains(key)) {
                mark(keyPath, tuple.getValueNode());
                fields.put(key, tuple.getValueNode());
            } else if (SECRET_KEYS.contains(key.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", ""))) {
                problems.error(keyPath, "secrets are never kept in the answers file; kubeha asks for passwords and"
                        + " passphrases when it needs them and keeps generated secrets in its 0600 state directory");
            } else {
                problems.error(keyPath, "unknown key" + Suggest.nearest(key, known).map(k -> "; did you mean " + k + "?")
                        .orElse("; known keys: " + String.join(", ", known)));
            }
        }
        return Optional.of(new Fields(path, fields));
    }

    String string(Fields f, String key, String fallback) {
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
    String optionalString(Fields f, String key) {
        return string(f, key, null);
    }

    int integer(Fields f, String key, int fallback) {
        Integer value = optionalInteger(f, key);
        return value == null ? fallback : value;
    }

    Integer optionalInteger(Fields f, String key) {
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

    boolean bool(Fields f, String key, boolean fallback) {
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

    <E extends Enum<E> & Choice> E choice(Fields f, String key, Class<E> type, E fallback) {
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
    List<Node> sequence(Fields f, String key) {
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
    record Fields(String path, Map<String, Node> values) {
        Node get(String key) {
            return values.get(key);
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        String path(String key) {
            return join(path, key);
        }
    }
}
