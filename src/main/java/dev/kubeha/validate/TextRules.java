package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Printable;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * No {@linkplain TextFields text field} of a spec is longer than {@value #MAX_LENGTH} characters or holds a control
 * or format character, and the fields written
 * unquoted into host files that no other rule reads word by word hold only the characters such a word may.
 */
final class TextRules implements Rule {
    static final int MAX_LENGTH = 4096;
    private static final Map<String, Word> WORDS = Map.of("cluster.packageRepository",
            new Word(Pattern.compile("[A-Za-z0-9._~:/%+@-]{1,2048}"), "letters, digits and ._~:/%+@-",
                    "kubeha writes it unquoted into the apt and yum sources"));

    private record Word(Pattern pattern, String characters, String why) {
    }

    @Override
    public void check(ClusterSpec spec, Problems out) {
        TextFields.of(spec).forEach((path, text) -> {
            OptionalInt unsafe = Printable.firstUnsafe(text);
            Word word = WORDS.get(path);
            if (text != null && text.length() > MAX_LENGTH) {
                out.error(path, "is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
            } else if (unsafe.isPresent()) {
                out.error(path, "contains the control character " + Printable.escape(unsafe.getAsInt())
                        + "; write it without control characters");
            } else if (word != null && !word.pattern().matcher(text).matches()) {
                out.error(path, "'" + text + "' may hold only " + word.characters() + " (" + word.why() + ")");
            }
        });
    }
}
