package dev.kubeha.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Printable;
import dev.kubeha.validate.TextFields;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The wizard's writer quotes every text field so that any value, however hostile, reads back as exactly itself. */
class AnswersWriterHostileTest {
    private static final List<String> VALUES = List.of("x\nExecStartPre=+/bin/sh -c id", "x\ry", "x y", "x\ty",
            "x\"y", "x'y", "x$(id)", "x`id`", "x;id", "x#y", "x{y}", "x: y", "- x", "x\u001b[2J", "x\u0000y",
            "x\u007f\u009by", "x\u202ey\u2028z\u2029", "x\ufeffy", "x\\y", "x/../..", "\u00e9\u4e2d\ud83d\ude00",
            "x\udb40\udc01y\ud800z", "a".repeat(5000));

    @TestFactory
    Stream<DynamicTest> everyTextFieldReadsBackAsWritten() {
        ClusterSpec guide = AnswersFile.load(Path.of("assets/examples/guide.yaml")).spec().orElseThrow();
        return TextFields.of(guide).keySet().stream().flatMap(path -> VALUES.stream().map(value ->
                DynamicTest.dynamicTest(path + " " + Printable.of(value.substring(0,
                        Math.min(30, value.length()))), () -> {
                    ClusterSpec spec = (ClusterSpec) with(guide, path, value);
                    LoadedAnswers back = AnswersFile.parse("written.yaml", AnswersWriter.toYaml(spec));
                    assertEquals(List.of(), back.problems());
                    assertEquals(value, TextFields.of(back.spec().orElseThrow()).get(path));
                })));
    }

    /** A copy of the record tree with the text field at path set to value. */
    private static Object with(Object node, String path, String value) {
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        String rest = dot < 0 ? "" : path.substring(dot + 1);
        String key = head.contains("[") ? head.substring(0, head.indexOf('[')) : head;
        RecordComponent[] components = node.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                Object current = components[i].getAccessor().invoke(node);
                String name = components[i].getName().equals("networkInterface") ? "interface"
                        : components[i].getName();
                if (!name.equals(key)) {
                    args[i] = current;
                } else if (head.contains("[")) {
                    int index = Integer.parseInt(head.substring(head.indexOf('[') + 1, head.length() - 1));
                    List<Object> items = new ArrayList<>((List<?>) current);
                    items.set(index, with(items.get(index), rest, value));
                    args[i] = items;
                } else {
                    args[i] = rest.isEmpty() ? value : with(current, rest, value);
                }
            }
            Class<?>[] types = Stream.of(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            return node.getClass().getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
