package dev.kubeha.lab;

import dev.kubeha.testing.LabAnswers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

/** Drives lab/lab.sh from tests: nodes up and down, commands in the jump namespace and on nodes over SSH. */
final class Lab {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path SCRIPT = ROOT.resolve("lab/lab.sh");
    static final Path ANSWERS = ROOT.resolve("lab/lab.yaml");
    static final String KEY = "/var/cache/kubeha-lab/ssh/id_ed25519";
    /** kubeha's own logging setup, not the test classpath's console one. */
    static final String PRODUCTION_LOGGING = "-Dtinylog.configuration=tinylog.properties";

    /** What a finished process printed. */
    record Result(int code, String out) {
    }

    private Lab() {
    }

    /** A fresh lab: any running one is taken down first. */
    static void freshUp() {
        freshUp(ROOT.resolve("lab/default.topology"));
    }

    /** A fresh lab of this topology file (lab/default.topology's format): any running one is taken down first. */
    static void freshUp(Path topology) {
        run(List.of(SCRIPT.toString(), "down"), 180);
        Result up = run(List.of(SCRIPT.toString(), "up", "--topology", topology.toString()), 900);
        if (up.code() != 0) {
            throw new IllegalStateException("lab up failed:\n" + up.out());
        }
    }

    /**
     * A fresh lab with the cluster of lab.yaml installed by apply; returns the new state directory, which holds the
     * answers as {@code answers.yaml}.
     */
    static Path freshInstall(String prefix) throws IOException {
        return freshInstall(prefix, ROOT.resolve("lab/default.topology"), text -> text);
    }

    /** The same on a lab of this topology file. */
    static Path freshInstall(String prefix, Path topology) throws IOException {
        return freshInstall(prefix, topology, text -> text);
    }

    /** The same with lab.yaml's text edited first (a field the shared answers leave out). */
    static Path freshInstall(String prefix, UnaryOperator<String> edit) throws IOException {
        return freshInstall(prefix, ROOT.resolve("lab/default.topology"), edit);
    }

    /** The same on a lab of this topology file, with lab.yaml's text edited first. */
    static Path freshInstall(String prefix, Path topology, UnaryOperator<String> edit) throws IOException {
        freshUp(topology);
        Path state = Files.createTempDirectory(prefix);
        Path answers = LabAnswers.copy(state.resolve("answers.yaml"), edit);
        Result apply = kubeha(state, 900, "apply", "-f", answers.toString(), "--yes", "--accept-new-host-keys");
        if (apply.code() != 0) {
            throw new IllegalStateException("apply failed:\n" + apply.out());
        }
        return state;
    }

    /** The variables `lab.sh env` prints (KEY=VALUE lines), such as the fixture repository's URL. */
    static Map<String, String> env() {
        Result env = run(List.of(SCRIPT.toString(), "env"), 60);
        if (env.code() != 0) {
            throw new IllegalStateException("lab.sh env failed:\n" + env.out());
        }
        Map<String, String> vars = new LinkedHashMap<>();
        env.out().lines().map(l -> l.replaceFirst("^export ", "")).filter(l -> l.matches("[A-Z_][A-Z0-9_]*=.*"))
                .forEach(l -> vars.put(l.substring(0, l.indexOf('=')),
                        l.substring(l.indexOf('=') + 1).replaceAll("^['\"]|['\"]$", "")));
        return vars;
    }

    static void down() {
        run(List.of(SCRIPT.toString(), "down"), 180);
    }

    /** Removes a test's work directory and everything in it (nothing when it does not exist). */
    static void removeTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A command inside the lab's jump namespace (no default route: only lab hosts are reachable). */
    static Result exec(long timeoutSeconds, String... command) {
        List<String> args = new ArrayList<>(List.of(SCRIPT.toString(), "exec"));
        args.addAll(List.of(command));
        return run(args, timeoutSeconds);
    }

    /** A shell command as root on a lab node, over SSH from the jump namespace. */
    static Result onNode(String address, String script) {
        return exec(60, "ssh", "-i", KEY, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5", "root@" + address,
                script);
    }

    /** kubeha itself, from the test classpath, run inside the jump namespace like an operator would. */
    static Result kubeha(Path stateDir, long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED",
                PRODUCTION_LOGGING, "-cp", System.getProperty("java.class.path"), "dev.kubeha.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(List.of("--state-dir", stateDir.toString()));
        return exec(timeoutSeconds, command.toArray(String[]::new));
    }

    /** kubeha with extra environment variables (NAME=VALUE), e.g. a test-only setting. */
    static Result kubehaWithEnv(Path stateDir, long timeoutSeconds, List<String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("env"));
        command.addAll(env);
        command.addAll(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED", PRODUCTION_LOGGING, "-cp",
                System.getProperty("java.class.path"), "dev.kubeha.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(List.of("--state-dir", stateDir.toString()));
        return exec(timeoutSeconds, command.toArray(String[]::new));
    }

    /** Starts kubeha in the jump namespace without waiting, its output going to a file. */
    static Process startKubeha(Path stateDir, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "exec", javaBinary(),
                "--enable-native-access=ALL-UNNAMED", PRODUCTION_LOGGING, "-cp", System.getProperty("java.class.path"),
                "dev.kubeha.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(List.of("--state-dir", stateDir.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /**
     * Fails unless a probe started every 200 ms (each try at most 2 s) gave two answers a second at least, five at
     * least, over the {@code took} it ran beside: it kept running the whole change long.
     */
    static void probedThrough(List<String> answers, Duration took, String change) {
        long atLeast = Math.max(5, 2 * took.toSeconds());
        if (answers.size() < atLeast) {
            throw new AssertionError("the probe did not run through the " + change + " (" + took.toMillis() + " ms): "
                    + answers.size() + " answers, fewer than " + atLeast);
        }
    }

    /**
     * Starts probing /healthz through the lab's VIP every 200 ms from the jump namespace, trusting only the cluster CA
     * in {@code state}; each answer's HTTP code goes to {@code codes} on a line of its own (000 when none came).
     */
    static Process healthzProbe(Path state, Path codes) throws IOException {
        Path ca = state.resolve("kubeha-lab/pki/kubernetes/ca.pem");
        return new ProcessBuilder(SCRIPT.toString(), "exec", "bash", "-c", "while :; do curl -s -o /dev/null -w"
                + " '%{http_code}\\n' --max-time 2 --cacert " + ca + " https://192.168.233.100:16443/healthz;"
                + " sleep 0.2; done").redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(codes.toFile())
                .start();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Result run(List<String> command, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("kubeha-lab", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    return new Result(-1, Files.readString(out, StandardCharsets.UTF_8) + "\n[timed out after "
                            + timeoutSeconds + " s]");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
