package dev.kubeha.cli;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.answers.SourceMap;
import dev.kubeha.model.Json;
import dev.kubeha.model.Printable;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Formats the problems of an answers file for people (file:line: severity: path: message) or as JSON. */
public final class ProblemReport {
    private ProblemReport() {
    }

    public static String text(CheckedAnswers checked) {
        StringBuilder out = new StringBuilder();
        String file = Printable.of(checked.loaded().source());
        for (Problem p : checked.problems()) {
            OptionalInt line = checked.loaded().sourceMap().lineOf(p);
            out.append(file);
            line.ifPresent(l -> out.append(':').append(l));
            out.append(": ").append(p.severity().label()).append(": ").append(p.text()).append('\n');
        }
        out.append(file).append(": ").append(summary(checked)).append('\n');
        return out.toString();
    }

    public static String json(CheckedAnswers checked) {
        List<Object> problems = new ArrayList<>();
        for (Problem p : checked.problems()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("severity", p.severity().label());
            item.put("path", p.path());
            OptionalInt line = checked.loaded().sourceMap().lineOf(p);
            item.put("line", line.isPresent() ? line.getAsInt() : null);
            item.put("message", p.message());
            problems.add(item);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("file", checked.loaded().source());
        root.put("valid", !checked.hasErrors());
        root.put("errors", checked.count(Severity.ERROR));
        root.put("warnings", checked.count(Severity.WARNING));
        root.put("problems", problems);
        return Json.write(root) + "\n";
    }

    static String summary(CheckedAnswers checked) {
        long errors = checked.count(Severity.ERROR);
        long warnings = checked.count(Severity.WARNING);
        if (errors == 0 && warnings == 0) {
            return "valid";
        }
        return (errors == 0 ? "valid, with " : "") + plural(errors, "error") + ", " + plural(warnings, "warning");
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
