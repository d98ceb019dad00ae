package dev.kubeha.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.CheckedAnswers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every file under bad/ must produce exactly the errors its "# expect:" lines name. */
class BadAnswersCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/bad");
    static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    @TestFactory
    Stream<DynamicTest> eachBadFileReportsItsExactErrors() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(CORPUS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            List<String> expected = Files.readAllLines(file).stream().filter(l -> l.startsWith("# expect: "))
                    .map(l -> l.substring("# expect: ".length())).toList();
            assertFalse(expected.isEmpty(), "a corpus file names what it expects");
            CheckedAnswers checked = CheckedAnswers.check(file, TODAY);
            List<String> errors = checked.problems().stream().filter(Problem::isError)
                    .map(p -> "error " + p.path() + ": " + p.message()).toList();
            List<String> expectedErrors = expected.stream().filter(e -> e.startsWith("error ")).toList();
            assertEquals(expectedErrors, errors);
            List<String> all = checked.problems().stream()
                    .map(p -> p.severity().label() + " " + p.path() + ": " + p.message()).toList();
            expected.stream().filter(e -> e.startsWith("warning ")).forEach(w -> assertTrue(all.contains(w), w));
            assertTrue(checked.hasErrors());
        }));
    }

    @Test
    void corpusHasAtLeastFortyFiles() throws IOException {
        try (Stream<Path> list = Files.list(CORPUS)) {
            assertTrue(list.count() >= 40);
        }
    }
}
