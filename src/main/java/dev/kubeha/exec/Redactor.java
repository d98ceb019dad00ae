package dev.kubeha.exec;

import dev.kubeha.state.Secrets;
import java.util.List;
import java.util.stream.Stream;

/** Replaces every known secret in text before it reaches an event, a log or the screen. */
public final class Redactor {
    private static final String MASK = "[redacted]";
    private final List<String> secrets;

    public Redactor(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4)
                .sorted((a, b) -> b.length() - a.length()).toList();
    }

    public static Redactor of(Secrets secrets) {
        String token = secrets.bootstrapToken();
        String tokenSecret = token.contains(".") ? token.substring(token.indexOf('.') + 1) : token;
        return new Redactor(Stream.of(token, tokenSecret, secrets.certificateKey(), secrets.vrrpPassword(),
                secrets.haproxyStatsPassword()).toList());
    }

    public static Redactor none() {
        return new Redactor(List.of());
    }

    public String apply(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }
}
