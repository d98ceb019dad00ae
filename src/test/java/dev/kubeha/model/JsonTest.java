package dev.kubeha.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class JsonTest {
    @Test
    void quotesWithJsonEscapesThatYamlReadsTheSame() {
        String hostile = "a\"b\\c\nd\re\tf\u0000\u001b[2J\u007f\u009b\u202e\u2028\ufeff\udb40\udc01\ud800é中😀";
        String quoted = Json.quoted(hostile);
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0000\\u001b[2J\\u007f\\u009b\\u202e\\u2028\\ufeff\\udb40\\udc01"
                + "\\ud800é中😀\"", quoted);
        assertEquals(hostile, new Yaml().load(quoted));
    }

    @Test
    void writesNestedValues() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "x\u001by");
        value.put("list", List.of(1, true, "z"));
        value.put("none", null);
        assertEquals("{\"name\":\"x\\u001by\",\"list\":[1,true,\"z\"],\"none\":null}", Json.write(value));
    }
}
