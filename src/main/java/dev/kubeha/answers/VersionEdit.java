package dev.kubeha.answers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changes cluster.kubernetesVersion in an answers file in place: only that value on its line changes (comments,
 * order and every other line stay), checked by loading the result, then saved atomically.
 */
public final class VersionEdit {
    private static final String FIELD = "cluster.kubernetesVersion";
    private static final Pattern VALUE = Pattern.compile("(kubernetesVersion\\s*:\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,}#]+)");

    /** The file cannot be edited this way; the message names the file and line. */
    public static final class EditException extends RuntimeException {
        public EditException(String message) {
            super(message);
        }
    }

    private VersionEdit() {
    }

    /** The answers text with cluster.kubernetesVersion set to {@code version}. */
    public static String withKubernetesVersion(String source, String text, String version) {
        LoadedAnswers loaded = AnswersFile.parse(source, text);
        OptionalInt line = loaded.sourceMap().lineOf(FIELD);
        String[] lines = text.split("\n", -1);
        if (loaded.spec().isEmpty() || line.isEmpty() || line.getAsInt() > lines.length) {
            throw new EditException(source + ": no " + FIELD + " to change: add kubernetesVersion under cluster");
        }
        int index = line.getAsInt() - 1;
        Matcher m = VALUE.matcher(lines[index]);
        if (!m.find()) {
            throw new EditException(source + ":" + line.getAsInt() + ": no " + FIELD + " on this line: add"
                    + " kubernetesVersion under cluster");
        }
        char quote = m.group(2).charAt(0) == '\'' ? '\'' : '"';
        lines[index] = lines[index].substring(0, m.start(2)) + quote + version + quote
                + lines[index].substring(m.end(2));
        String edited = String.join("\n", lines);
        LoadedAnswers check = AnswersFile.parse(source, edited);
        if (check.spec().isEmpty() || !check.spec().get().cluster().kubernetesVersion().equals(version)) {
            throw new EditException(source + ":" + line.getAsInt() + ": could not set " + FIELD + " to " + version);
        }
        return edited;
    }

    /** Sets cluster.kubernetesVersion in the file, atomically: a crash leaves the old file or the new one. */
    public static void setKubernetesVersion(Path file, String version) throws IOException {
        String text = InputFile.readText(file);
        AnswersFile.writeAtomically(file, withKubernetesVersion(file.toString(), text, version)
                .getBytes(StandardCharsets.UTF_8));
    }
}
