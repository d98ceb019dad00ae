package dev.kubeha.tui;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.model.HostSpec;
import dev.kubeha.validate.Problem;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A problem as the wizard's screens name things: "Host 2 (cp2) address" where a file names {@code hosts[1].address}. */
final class Wording {
    private static final Pattern HOST = Pattern.compile("hosts\\[(\\d+)]");
    private static final Pattern HOST_FIELD = Pattern.compile("hosts\\[(\\d+)](?:\\.(\\w+))?(.*)");
    private static final Map<String, String> FIELDS = Map.of("name", "name", "address", "address", "roles", "roles",
            "port", "SSH port", "user", "SSH user", "identityFile", "key file");

    private Wording() {
    }

    /** The problem's text with the host numbers and names the screen shows. */
    static String text(Problem p, List<String> hostNames) {
        String message = message(p.message());
        if (p.path().isEmpty()) {
            return message;
        }
        Matcher m = HOST_FIELD.matcher(p.path());
        if (!m.matches()) {
            return p.path() + ": " + message;
        }
        int index = Integer.parseInt(m.group(1));
        String name = index < hostNames.size() ? hostNames.get(index).strip() : "";
        String field = m.group(2) == null ? "" : " " + FIELDS.getOrDefault(m.group(2), m.group(2)) + m.group(3);
        return "Host " + (index + 1) + (name.isEmpty() ? "" : " (" + name + ")") + field + ": " + message;
    }

    /** A message's own references to hosts, numbered from 1 as on the screen. */
    static String message(String text) {
        return HOST.matcher(text).replaceAll(r -> "Host " + (Integer.parseInt(r.group(1)) + 1));
    }

    static List<String> hostNames(CheckedAnswers checked) {
        return checked.loaded().spec().map(s -> s.hosts().stream().map(HostSpec::name).toList()).orElse(List.of());
    }
}
