package dev.kubeha.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kubeha.plan.Phase;
import dev.kubeha.plan.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void controlAndFormatCharactersBecomeEscapes() {
        assertEquals("a\\e[2Jb\\n\\r\\t\\x00\\x7f\\x9b\\u{202e}\\u{2028}", Printable.of(
                "a\u001b[2Jb\n\r\t\u0000\u007f\u009b\u202e\u2028"));
        String plain = "worker1 10.0.8.6 /data/etcd 'quoted' ü 中";
        assertSame(plain, Printable.of(plain));
    }

    @Test
    void planTitlesAreShownEscaped() {
        Step step = Step.of("x", "write /etc/\u001b[8mhidden", "worker1", List.of());
        assertEquals("write /etc/\\e[8mhidden", step.title());
        assertEquals("phase \\e]0;x\\x07", Phase.parallel("p", "phase \u001b]0;x\u0007", List.of(step)).title());
    }
}
