package dev.kubeha.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.plan.RunCommand;
import dev.kubeha.plan.Step;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    @Test
    void clearingForgetsTheNamedHostsOnly() {
        Journal journal = new Journal(dir, Clock.systemUTC());
        Step a = Step.of("x", "x", "a", List.of(RunCommand.always("true")));
        Step b = Step.of("x", "x", "b", List.of(RunCommand.always("true")));
        journal.record(a);
        journal.record(b);
        journal.clear(List.of("a", "gone"));
        assertFalse(journal.isDone(a));
        assertTrue(journal.isDone(b));
    }
}
