package dev.kubeha.tui;

import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.LoadedAnswers;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.state.StateHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The autosave a new wizard run may continue from, the question that offers it, and the command that resumes. */
final class Resume {
    static final String PREVIOUS = ".previous";

    /** An autosave and the answers it holds. */
    record Offer(Path file, ClusterSpec spec) {
    }

    private Resume() {
    }

    /**
     * The autosave worth offering: with an answers file, its cluster's autosave when newer and different; without, the
     * newest autosave of any cluster that holds more than the defaults.
     */
    static Optional<Offer> find(StateHome home, Optional<Path> answers, Draft draft) {
        if (answers.isPresent()) {
            Path file = home.autosave(draft.clusterName);
            Optional<Offer> autosave = read(file).filter(o -> newer(o.file(), answers.get()));
            return autosave.isPresent() && Optional.of(autosave.get().spec()).equals(draft.load().spec())
                    ? Optional.empty() : autosave;
        }
        try (Stream<Path> dirs = Files.isDirectory(home.root()) ? Files.list(home.root()) : Stream.empty()) {
            List<Path> files = dirs.map(d -> d.resolve(StateHome.AUTOSAVE)).filter(Files::isRegularFile).toList();
            if (files.isEmpty()) {
                return Optional.empty();
            }
            Optional<ClusterSpec> empty = Draft.defaults().load().spec();
            return files.stream().sorted(Comparator.comparing(Resume::modified).reversed()).map(Resume::read)
                    .flatMap(Optional::stream).filter(o -> !Optional.of(o.spec()).equals(empty)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Offer> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        LoadedAnswers loaded = AnswersFile.load(file);
        return loaded.spec().map(spec -> new Offer(file, spec));
    }

    private static boolean newer(Path a, Path b) {
        return modified(a).compareTo(modified(b)) > 0;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Asks Resume (the default) or Start fresh, which keeps the old autosave beside it as {@code .previous}. */
    static Window ask(WindowBasedTextGUI gui, Palette palette, Offer offer, Runnable resume, Runnable fresh) {
        ClusterSpec spec = offer.spec();
        return Dialogs.ask(gui, palette, "Resume?", List.of(
                "An autosave from " + modified(offer.file()).toInstant().toString().replace('T', ' ')
                        .replaceFirst("\\.\\d+Z$", "Z") + " holds unsaved answers:",
                "  cluster " + spec.cluster().name() + ", " + spec.hosts().size() + " host"
                        + (spec.hosts().size() == 1 ? "" : "s") + (spec.loadBalancer().vip().isBlank() ? ""
                        : ", VIP " + spec.loadBalancer().vip()),
                "  " + offer.file(),
                "",
                "Start fresh keeps it as " + offer.file().getFileName() + PREVIOUS + "."),
                List.of(new Dialogs.Choice("Resume", resume), new Dialogs.Choice("Start fresh", () -> {
                    keepAside(offer);
                    fresh.run();
                })));
    }

    /** Starting fresh: the old autosave moves to {@code .previous}, out of the fresh answers' way. */
    static Optional<String> keepAside(Offer offer) {
        try {
            Files.move(offer.file(), offer.file().resolveSibling(offer.file().getFileName() + PREVIOUS),
                    StandardCopyOption.REPLACE_EXISTING);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("could not keep " + offer.file() + " aside: " + e.getMessage());
        }
    }

    /** The line that tells the operator how to come back to the answers. */
    static String command(Path autosave) {
        return "the answers so far are in " + autosave + " (continue with: kubeha --answers " + autosave + ")";
    }
}
