package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Printable;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * No text field of a spec holds a control or format character: found by walking the spec's records, so that a
 * field added later is covered without being listed.
 */
final class TextRules implements Rule {
    /** Record components whose answers-file key is spelled differently. */
    static final Map<String, String> KEYS = Map.of("networkInterface", "interface");

    @Override
    public void check(ClusterSpec spec, Problems out) {
        walk(spec, "", out);
    }

    /** The answers-file key of a record component. */
    static String key(RecordComponent component) {
        return KEYS.getOrDefault(component.getName(), component.getName());
    }

    private static void walk(Object value, String path, Problems out) {
        switch (value) {
            case null -> {
            }
            case String text -> {
                OptionalInt unsafe = Printable.firstUnsafe(text);
                if (unsafe.isPresent()) {
                    out.error(path, "contains the control character " + Printable.escape(unsafe.getAsInt())
                            + "; write it without control characters");
                }
            }
            case List<?> items -> {
                for (int i = 0; i < items.size(); i++) {
                    walk(items.get(i), path + "[" + i + "]", out);
                }
            }
            case Record record -> {
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    walk(read(component, record), path.isEmpty() ? key(component) : path + "." + key(component), out);
                }
            }
            default -> {
            }
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
