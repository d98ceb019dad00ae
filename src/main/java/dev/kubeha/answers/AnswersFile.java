package dev.kubeha.answers;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.validate.Problems;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/** Loads and atomically saves answers files. */
public final class AnswersFile {
    private AnswersFile() {
    }

    public static LoadedAnswers load(Path file) {
        String name = file.toString();
        Problems problems = new Problems();
        try {
            String text = InputFile.readText(file);
            LoadedAnswers parsed = parse(name, text);
            Path directory = file.toAbsolutePath().getParent();
            return new LoadedAnswers(parsed.source(), parsed.spec().map(s -> s.resolvingPathsAgainst(directory)),
                    parsed.problems(), parsed.sourceMap());
        } catch (NoSuchFileException e) {
            problems.error("", "no such file");
        } catch (CharacterCodingException e) {
            problems.error("", "the file is not UTF-8 text");
        } catch (InputFile.Refused e) {
            problems.error("", e.getMessage());
        } catch (IOException e) {
            problems.error("", "cannot read: " + e.getMessage());
        }
        return new LoadedAnswers(name, Optional.empty(), problems.list(), new SourceMap());
    }

    public static LoadedAnswers parse(String source, String text) {
        Problems problems = new Problems();
        SourceMap sourceMap = new SourceMap();
        Optional<Node> root = NodeReader.compose(text, problems);
        if (root.isEmpty()) {
            if (problems.list().isEmpty()) {
                problems.error("", "the file is empty; an answers file lists at least the hosts");
            }
            return new LoadedAnswers(source, Optional.empty(), problems.list(), sourceMap);
        }
        ClusterSpec spec = new AnswersReader(problems, sourceMap).read(root.get());
        return new LoadedAnswers(source, Optional.of(spec), problems.list(), sourceMap);
    }

    /** Writes the spec through a temporary file and a rename, so a crash leaves the old file or the new one. */
    public static void save(Path file, ClusterSpec spec) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        String header = existingHeader(target).orElse(AnswersWriter.DEFAULT_HEADER);
        writeAtomically(target, (header + AnswersWriter.toYaml(spec)).getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces the file through a synced temporary file beside it and a rename. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The leading comment block of an existing file, kept when the file is saved again. */
    private static Optional<String> existingHeader(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            StringBuilder header = new StringBuilder();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.startsWith("#")) {
                    break;
                }
                header.append(line).append('\n');
            }
            return header.isEmpty() ? Optional.empty() : Optional.of(header.toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
