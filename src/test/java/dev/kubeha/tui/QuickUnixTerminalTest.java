package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickUnixTerminalTest {
    @Test
    void aFrameLeavesInOneWriteWhenFlushedAndASizeQueryLeavesAtOnce() throws Exception {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        QuickUnixTerminal.Output out = new QuickUnixTerminal.Output(terminal);
        for (char c : "Cluster name".toCharArray()) {
            out.write(new byte[] {(byte) c});
        }
        assertEquals("", terminal.toString(StandardCharsets.UTF_8), "characters wait for the end of the frame");
        out.flush();
        assertEquals("Cluster name", terminal.toString(StandardCharsets.UTF_8));

        out.write("\u001b[s".getBytes(StandardCharsets.US_ASCII));
        out.write("\u001b[5001;5001H".getBytes(StandardCharsets.US_ASCII));
        out.write("\u001b[6n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("Cluster name\u001b[s\u001b[5001;5001H\u001b[6n", terminal.toString(StandardCharsets.UTF_8),
                "the terminal must see the position query before Lanterna waits for its answer");
    }
}
