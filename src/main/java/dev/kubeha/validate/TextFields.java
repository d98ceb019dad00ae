package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every text field of a spec by its answers-file path ({@code hosts[0].name}, {@code loadBalancer.interface}), null
 * when left out: found by walking the spec's records, so that a field added later is never missed.
 */
public final class TextFields {
    /** Record components whose answers-file key is spelled differently. */
    private static final Map<String, String> KEYS = Map.of("networkInterface", "interface");

    private TextFields() {
    }

    public static Map<String, String> of(ClusterSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        walk(spec, "", ClusterSpec.class, out);
        return out;
    }

    private static void walk(Object value, String path, Class<?> type, Map<String, String> out) {
        if (type == String.class) {
            out.put(path, (String) value);
        } else if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                walk(items.get(i), path + "[" + i + "]", items.get(i).getClass(), out);
            }
        } else if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                String key = KEYS.getOrDefault(component.getName(), component.getName());
                walk(read(component, record), path.isEmpty() ? key : path + "." + key, component.getType(), out);
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
