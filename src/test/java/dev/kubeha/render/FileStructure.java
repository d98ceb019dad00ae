package dev.kubeha.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A rendered file parsed the way its reader parses it: its skeleton (sections, keys, directives, the number of words
 * of each line) and its values (scalars, words, unquoted Exec arguments), so a test can tell a value that stayed
 * one value from one that became structure.
 */
record FileStructure(List<String> skeleton, List<String> values) {
    static FileStructure of(RenderedFile file) {
        String text = file.text();
        if (file.path().endsWith(".yaml") || file.path().endsWith(".yml")) {
            return yaml(text);
        }
        if (file.path().startsWith("/etc/systemd/")) {
            return unit(text);
        }
        return words(text);
    }

    private static FileStructure yaml(String text) {
        List<String> skeleton = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(text)) {
            walk(doc, "", skeleton, values);
        }
        return new FileStructure(skeleton, values);
    }

    private static void walk(Object node, String path, List<String> skeleton, List<String> values) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, skeleton, values));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", skeleton, values);
            }
        } else {
            skeleton.add(path);
            values.add(String.valueOf(node));
        }
    }

    /** A unit as systemd reads it: continuation lines joined, Key=value pairs, Exec lines split into arguments. */
    private static FileStructure unit(String text) {
        List<String> skeleton = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String line : text.replace("\\\n", " ").split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith(";")) {
                skeleton.add("#");
                values.add(line);
            } else if (line.startsWith("[")) {
                skeleton.add(line);
            } else {
                String key = line.substring(0, line.indexOf('='));
                String value = line.substring(line.indexOf('=') + 1);
                List<String> args = key.startsWith("Exec") ? arguments(value) : List.of(value);
                skeleton.add(key + "/" + args.size());
                values.addAll(args);
            }
        }
        return new FileStructure(skeleton, values);
    }

    /** systemd's splitting of an Exec line: whitespace between words, "..." quoting with C escapes, $$ and %%. */
    static List<String> arguments(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!quoted && Character.isWhitespace(c)) {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && i + 1 < line.length()) {
                char e = line.charAt(++i);
                switch (e) {
                    case 'n' -> word.append('\n');
                    case 'r' -> word.append('\r');
                    case 't' -> word.append('\t');
                    case 'x' -> {
                        word.append((char) Integer.parseInt(line.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> word.append(e);
                }
            } else if ((c == '$' || c == '%') && i + 1 < line.length() && line.charAt(i + 1) == c) {
                word.append(c);
                i++;
            } else if (c == '$' || c == '%') {
                throw new AssertionError("an unescaped " + c + " systemd would expand in: " + line);
            } else {
                word.append(c);
            }
        }
        if (quoted) {
            throw new AssertionError("an unterminated quote in: " + line);
        }
        if (word != null) {
            out.add(word.toString());
        }
        return out;
    }

    /** Any other file: one line per directive, split into words on whitespace; a comment stays one value. */
    private static FileStructure words(String text) {
        List<String> skeleton = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.startsWith("!")) {
                skeleton.add("#");
                values.add(trimmed);
            } else {
                List<String> words = trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
                skeleton.add((words.isEmpty() ? "" : words.get(0)) + "/" + words.size());
                values.addAll(words);
            }
        }
        return new FileStructure(skeleton, values);
    }
}
