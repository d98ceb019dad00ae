package dev.kubeha.model;

import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers and booleans as JSON text; its string quoting is kubeha's one escaper. */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, String.valueOf(e.getKey()));
                    out.append(':');
                    append(out, e.getValue());
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    append(out, list.get(i));
                }
                out.append(']');
            }
            default -> string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append(quoted(s));
    }

    /**
     * A double-quoted string that JSON and YAML both read back as exactly the value: quote and backslash escaped,
     * and every {@linkplain Printable#isUnsafe unsafe} character (controls, C1, format characters such as the BOM,
     * line separators, lone surrogates) written as an escape, so that nothing reaches a terminal or a log raw.
     */
    public static String quoted(String value) {
        StringBuilder q = new StringBuilder(value.length() + 2).append('"');
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (!Printable.isUnsafe(c)) {
                        q.appendCodePoint(c);
                    } else {
                        for (char unit : Character.toChars(c)) {
                            q.append(String.format("\\u%04x", (int) unit));
                        }
                    }
                }
            }
        });
        return q.append('"').toString();
    }
}
