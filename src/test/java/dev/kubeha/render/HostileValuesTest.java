package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.facts.FactsFile;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.TextFields;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every text field of the answers and facts files, fed every dangerous kind of value, is refused naming the field,
 * or renders to files whose structure is the guide's, holding the value whole inside one value.
 */
class HostileValuesTest {
    private static final List<RenderedFile> BASELINE = HostileValues.baseline();

    @TestFactory
    Stream<DynamicTest> answersFields() {
        return HostileValues.answers().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    @TestFactory
    Stream<DynamicTest> answersChoiceFields() {
        return HostileValues.answerChoices().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    @Test
    void theChoiceFieldsAreEveryChoiceOfTheAnswers() {
        assertEquals(List.of("loadBalancer.vrrp", "network.proxyMode", "network.cni", "network.flannelBackend",
                "etcd.keyAlgorithm", "etcd.install", "containerRuntime", "containerRuntimeInstall"),
                List.copyOf(HostileValues.choiceFields(HostileValues.guide(), "").keySet()));
        assertTrue(HostileValues.answerChoices().allMatch(c -> c.files().isEmpty()), "no hostile choice is taken");
    }

    @TestFactory
    Stream<DynamicTest> factsFields() {
        return HostileValues.facts().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    @Test
    void theFieldsAreEveryTextFieldOfBothFiles() {
        ClusterSpec guide = HostileValues.guide();
        Set<String> answers = TextFields.of(guide).keySet();
        assertTrue(answers.containsAll(List.of("cluster.name", "cluster.packageRepository", "ssh.bastion",
                "hosts[0].name", "hosts[4].identityFile", "loadBalancer.interface", "etcd.dataDir", "etcd.certDir",
                "etcd.archiveSha256", "etcd.backup.schedule", "addons.kubePrometheusArchive", "network.flannelManifest")),
                answers.toString());
        Set<String> factKeys = HostileValues.FACT_FIELDS.stream().map(HostileValues.FactField::key)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertEquals(new LinkedHashSet<>(FactsFile.KEYS), factKeys, "every facts key is fed");
        assertTrue(HostileValues.FACT_FIELDS.stream().map(HostileValues.FactField::path).toList()
                .containsAll(List.of("interfaces[1].name", "interfaces[0].addresses[1]")), "every interface key is fed");
        assertEquals(List.of("name", "addresses"), FactsFile.INTERFACE_KEYS);
    }

    @Test
    void refusedOrIntactIsDecidedForSomeOfEach() {
        long accepted = Stream.concat(HostileValues.answers(), HostileValues.facts())
                .filter(c -> c.files().isPresent()).count();
        assertTrue(accepted > 0, "some values are harmless where they land and are kept");
    }

    static void check(HostileValues.Case c) {
        if (c.files().isEmpty()) {
            List<String> errors = c.problems().stream().filter(Problem::isError).map(Problem::path).toList();
            assertTrue(errors.contains(c.field()), c + " is refused naming " + c.field() + ": " + c.problems());
            return;
        }
        List<RenderedFile> files = c.files().get();
        assertEquals(names(BASELINE), names(files), c + ": the same files");
        Map<String, RenderedFile> before = BASELINE.stream().collect(Collectors.toMap(HostileValuesTest::name,
                Function.identity()));
        boolean mentioned = false;
        boolean whole = false;
        for (RenderedFile file : files) {
            FileStructure now = FileStructure.of(file);
            assertEquals(FileStructure.of(before.get(name(file))).skeleton(), now.skeleton(), c + ": " + file);
            mentioned |= file.text().contains(c.value()) || now.values().stream().anyMatch(v -> v.contains(c.value()));
            whole |= now.values().stream().anyMatch(v -> v.contains(c.value()));
        }
        assertEquals(mentioned, whole, c + ": where the value lands it stays one value");
    }

    private static List<String> names(List<RenderedFile> files) {
        List<String> out = new ArrayList<>(files.stream().map(HostileValuesTest::name).toList());
        out.sort(null);
        return out;
    }

    private static String name(RenderedFile file) {
        return file.host() + ":" + file.path();
    }

}
