package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LayoutTest {
    @Test
    void cutTextIsPrintable() {
        assertEquals("host \\e[2J", Layout.cut("host \u001b[2J", 40));
        assertEquals("a\\nb…", Layout.cut("a\nbcdef", 5));
    }
}
