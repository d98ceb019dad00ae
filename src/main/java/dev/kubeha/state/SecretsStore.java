package dev.kubeha.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Generates the cluster's {@link Secrets} once with SecureRandom and keeps them in a 0600 file of the state dir. */
public final class SecretsStore {
    public static final String FILE_NAME = "secrets";
    public static final Pattern BOOTSTRAP_TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    public static final Pattern CERTIFICATE_KEY = Pattern.compile("[0-9a-f]{64}");
    public static final int VRRP_PASSWORD_LENGTH = 8;
    public static final int HAPROXY_STATS_PASSWORD_LENGTH = 32;

    private static final String LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String ALPHANUMERIC = LOWER_DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final Pattern VRRP_PASSWORD = Pattern.compile("[A-Za-z0-9]{" + VRRP_PASSWORD_LENGTH + "}");
    private static final Pattern STATS_PASSWORD = Pattern.compile("[A-Za-z0-9]{24,}");
    private static final List<String> KEYS =
            List.of("bootstrapToken", "certificateKey", "vrrpPassword", "haproxyStatsPassword");

    private final StateDir stateDir;
    private final SecureRandom random;

    public SecretsStore(StateDir stateDir, SecureRandom random) {
        this.stateDir = stateDir;
        this.random = random;
    }

    public SecretsStore(StateDir stateDir) {
        this(stateDir, new SecureRandom());
    }

    public Path file() {
        return stateDir.root().resolve(FILE_NAME);
    }

    /** The stored secrets, generated and stored first if the state directory has none yet. */
    public Secrets loadOrCreate() {
        stateDir.ensure();
        Optional<byte[]> stored = stateDir.readPrivate(file());
        if (stored.isPresent()) {
            return parse(new String(stored.get(), StandardCharsets.UTF_8));
        }
        Secrets fresh = generate(random);
        stateDir.writePrivate(file(), format(fresh).getBytes(StandardCharsets.UTF_8));
        return fresh;
    }

    public static Secrets generate(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new Secrets(
                randomString(random, LOWER_DIGITS, 6) + "." + randomString(random, LOWER_DIGITS, 16),
                HexFormat.of().formatHex(key),
                randomString(random, ALPHANUMERIC, VRRP_PASSWORD_LENGTH),
                randomString(random, ALPHANUMERIC, HAPROXY_STATS_PASSWORD_LENGTH));
    }

    private static String randomString(SecureRandom random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static String format(Secrets s) {
        return "# kubeha cluster secrets: keep this file private (mode 0600)\n"
                + "bootstrapToken=" + s.bootstrapToken() + "\n"
                + "certificateKey=" + s.certificateKey() + "\n"
                + "vrrpPassword=" + s.vrrpPassword() + "\n"
                + "haproxyStatsPassword=" + s.haproxyStatsPassword() + "\n";
    }

    private Secrets parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq);
            if (eq < 0 || !KEYS.contains(key)) {
                throw corrupt("line " + (i + 1) + " is not one of " + String.join(", ", KEYS) + " followed by '='");
            }
            if (values.put(key, line.substring(eq + 1)) != null) {
                throw corrupt("line " + (i + 1) + " repeats " + key);
            }
        }
        return new Secrets(require(values, "bootstrapToken", BOOTSTRAP_TOKEN),
                require(values, "certificateKey", CERTIFICATE_KEY),
                require(values, "vrrpPassword", VRRP_PASSWORD),
                require(values, "haproxyStatsPassword", STATS_PASSWORD));
    }

    private String require(Map<String, String> values, String key, Pattern shape) {
        String value = values.get(key);
        if (value == null) {
            throw corrupt("it has no " + key);
        }
        if (!shape.matcher(value).matches()) {
            throw corrupt(key + " does not have the expected form " + shape.pattern());
        }
        return value;
    }

    private StateException corrupt(String what) {
        return new StateException("secrets file " + file() + " is damaged: " + what
                + ". Restore it from a backup; removing it makes kubeha generate new secrets"
                + " that no longer match an installed cluster");
    }
}
