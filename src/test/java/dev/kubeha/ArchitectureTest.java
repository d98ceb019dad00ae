package dev.kubeha;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The packages form one ordered pipeline: a package depends only on the packages below it, never up or in a cycle. */
class ArchitectureTest {
    /** Bottom to top; packages in one layer are independent of each other. README's "How it is built" lists the same. */
    static final List<List<String>> LAYERS = List.of(
            List.of("model"),
            List.of("sources"),
            List.of("validate"),
            List.of("answers", "state", "ssh"),
            List.of("facts"),
            List.of("render"),
            List.of("bundle", "pki"),
            List.of("plan"),
            List.of("events"),
            List.of("exec"),
            List.of("progress"),
            List.of("install"),
            List.of("tui"),
            List.of("cli"));

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.kubeha");

    static String pkg(String name) {
        return "dev.kubeha." + name + "..";
    }

    @Test
    void everyPackageHasItsPlaceInTheLayers() {
        Set<String> packages = MAIN.stream().map(JavaClass::getPackageName)
                .map(p -> p.substring("dev.kubeha.".length()).split("\\.")[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> layered = LAYERS.stream().flatMap(List::stream).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(layered, packages);
    }

    @Test
    void noPackageDependsOnItsOwnLayerOrAnyAbove() {
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String name : LAYERS.get(i)) {
                List<String> notBelow = new ArrayList<>();
                for (int j = i; j < LAYERS.size(); j++) {
                    LAYERS.get(j).stream().filter(other -> !other.equals(name)).map(ArchitectureTest::pkg)
                            .forEach(notBelow::add);
                }
                if (!notBelow.isEmpty()) {
                    noClasses().that().resideInAPackage(pkg(name)).should().dependOnClassesThat()
                            .resideInAnyPackage(notBelow.toArray(String[]::new))
                            .because(name + " sits below " + String.join(", ", notBelow)).check(MAIN);
                }
            }
        }
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.kubeha.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /** A layer's sub-packages (tui.probe) sit inside it, with no cycle between them and their parent. */
    @Test
    void subPackagesAreFreeOfCyclesToo() {
        slices().matching("dev.kubeha.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theWizardsProbesKnowNothingOfItsScreens() {
        noClasses().that().resideInAPackage("dev.kubeha.tui.probe").should().dependOnClassesThat()
                .resideInAPackage("dev.kubeha.tui").check(MAIN);
    }
}
