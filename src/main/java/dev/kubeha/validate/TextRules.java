package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Printable;
import java.util.OptionalInt;

/** No {@linkplain TextFields text field} of a spec is longer than {@value #MAX_LENGTH} characters or holds a control or format character. */
final class TextRules implements Rule {
    static final int MAX_LENGTH = 4096;
    @Override
    public void check(ClusterSpec spec, Problems out) {
        TextFields.of(spec).forEach((path, text) -> {
            OptionalInt unsafe = Printable.firstUnsafe(text);
            if (text != null && text.length() > MAX_LENGTH) {
                out.error(path, "is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
            } else if (unsafe.isPresent()) {
                out.error(path, "contains the control character " + Printable.escape(unsafe.getAsInt())
                        + "; write it without control characters");
            }
        });
    }
}
