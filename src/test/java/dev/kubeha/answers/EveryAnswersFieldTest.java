package dev.kubeha.answers;

import dev.kubeha.model.ClusterSpec;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The every-field document is read without a problem, each of its fields counts, and the writer keeps them all. */
class EveryAnswersFieldTest {
    private static ClusterSpec read(String text) {
        return AnswersFile.parse("every-field", text).spec().orElseThrow();
    }

    @Test
    void everyFieldIsReadWithoutAProblem() {
        LoadedAnswers loaded = AnswersFile.parse("every-field", EveryAnswersField.document());
        assertEquals(java.util.List.of(), loaded.problems(), EveryAnswersField.document());
    }

    @Test
    void everyFieldHoldsAValueTheSpecDoesNotHaveWithoutIt() {
        ClusterSpec full = read(EveryAnswersField.document());
        for (String path : EveryAnswersField.paths()) {
            assertNotEquals(full, read(EveryAnswersField.without(path)), path + " makes no difference to the spec");
        }
    }

    @Test
    void theWriterKeepsEveryField() {
        ClusterSpec full = read(EveryAnswersField.document());
        assertEquals(full, read(AnswersWriter.toYaml(full)));
    }
}
