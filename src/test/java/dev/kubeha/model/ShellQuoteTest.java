package dev.kubeha.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {
    @Test
    void leavesPlainWordsAlone() {
        assertEquals("/etc/kubernetes/admin.conf", ShellQuote.quote("/etc/kubernetes/admin.conf"));
        assertEquals("''", ShellQuote.quote(""));
    }

    @Test
    void aPosixShellReadsEveryQuotedValueBackUnchanged() throws IOException, InterruptedException {
        for (String value : List.of("", "a b", "it's", "'", "$(id)", "`id`", "a;b", "x\ny", "#c", "{a,b}", "\\n", "*")) {
            Process shell = new ProcessBuilder("/bin/sh", "-c", "printf %s " + ShellQuote.quote(value)).start();
            String echoed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, shell.waitFor());
            assertEquals(value, echoed);
        }
    }
}
