package dev.kubeha.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.AnswersText;
import dev.kubeha.answers.AnswersWriter;
import dev.kubeha.answers.EveryAnswersField;
import dev.kubeha.answers.LoadedAnswers;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdBackup;
import dev.kubeha.validate.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening an answers file in the wizard and saving it loses no field: the wizard writes what the CLI writes. */
class DraftRoundTripTest {
    private static final String EVERY_FIELD = "every-field.yaml";

    @TempDir
    Path dir;

    /** Every answers file in the repository the reader takes without a problem, and the every-field document. */
    static List<String> answersFiles() throws IOException {
        List<String> files = new ArrayList<>(List.of(EVERY_FIELD));
        for (Path root : List.of(Path.of("assets/examples"), Path.of("lab"), Path.of("src/test/resources"))) {
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(p -> p.toString().endsWith(".yaml") && !p.startsWith("lab/fixtures"))
                        .filter(p -> readsCleanly(AnswersFile.load(p))).map(Path::toString).sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    private static boolean readsCleanly(LoadedAnswers loaded) {
        return loaded.spec().isPresent() && loaded.problems().stream().noneMatch(Problem::isError);
    }

    @Test
    void theRepositorysAnswersFilesAreAllAmongThoseChecked() throws IOException {
        assertTrue(answersFiles().containsAll(List.of("assets/examples/guide.yaml", "assets/examples/minimal.yaml",
                "lab/lab.yaml", "src/test/resources/tui/wizard-answers.yaml")), answersFiles().toString());
    }

    private Path copy(String name) throws IOException {
        Path file = dir.resolve(Path.of(name).getFileName());
        if (name.equals(EVERY_FIELD)) {
            return Files.writeString(file, EveryAnswersField.document());
        }
        return Files.copy(Path.of(name), file);
    }

    private static ClusterSpec spec(Path file) {
        LoadedAnswers loaded = AnswersFile.load(file);
        assertTrue(readsCleanly(loaded), loaded.problems().toString());
        return loaded.spec().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("answersFiles")
    void savingAnOpenedFileUnchangedKeepsEveryFieldAndWritesWhatTheCliWrites(String name) throws IOException {
        Path opened = copy(name);
        Path byCli = Files.copy(opened, dir.resolve("cli-" + opened.getFileName()));
        ClusterSpec original = spec(opened);

        Autosave.saveAs(opened, Draft.from(original));
        assertEquals(original, spec(opened));
        AnswersFile.save(byCli, spec(byCli));
        assertEquals(Files.readString(byCli), Files.readString(opened));

        String saved = Files.readString(opened);
        Autosave.saveAs(opened, Draft.from(spec(opened)));
        assertEquals(saved, Files.readString(opened), "a file the writer wrote is written again byte for byte");
    }

    @Test
    void clearingTheBackupScheduleDropsTheBackupTheFileHad() throws IOException {
        ClusterSpec original = spec(copy(EVERY_FIELD));
        Draft draft = Draft.from(original);
        draft.etcdBackupSchedule = "";
        assertEquals(EtcdBackup.NONE, draft.toSpec().etcd().backup());
        assertEquals(original.containerRuntimeArchives(), draft.toSpec().containerRuntimeArchives());
    }

    @Test
    void editingTheClusterNameOnScreenChangesOnlyTheClusterName() throws IOException {
        ClusterSpec original = spec(copy(EVERY_FIELD));
        try (VirtualWizard w = new VirtualWizard(80, 24, Draft.from(original), Optional.empty(), dir)) {
            w.wizard.show(0);
            w.type("-2");
            assertEquals(original.cluster().name() + "-2", w.wizard.draft().clusterName, w.text());
            w.keys(new KeyStroke(KeyType.F2));
        }
        ClusterSpec expected = AnswersFile.parse("expected", AnswersWriter.toYaml(AnswersText.of(original)
                .with("cluster.name", original.cluster().name() + "-2"))).spec().orElseThrow();
        assertEquals(expected, spec(dir.resolve("answers.yaml")));
    }
}
