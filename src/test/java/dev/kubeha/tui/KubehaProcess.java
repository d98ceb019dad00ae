package dev.kubeha.tui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts kubeha's Main in a fresh JVM on the test class path, or, with the system property
 * {@code kubeha.image} (a built runtime image: bench/startup.sh --smoke), the image's own launcher.
 */
public final class KubehaProcess {
    /** The runtime image the tests run kubeha from instead of the test class path, if one is given. */
    public static final String IMAGE = System.getProperty("kubeha.image", "");

    private KubehaProcess() {
    }

    public static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** The same with these options for the JVM. */
    static List<String> command(List<String> jvmOptions, String... args) {
        if (!IMAGE.isEmpty()) {
            if (!jvmOptions.isEmpty()) {
                throw new IllegalStateException("the image's launcher takes no JVM options: " + jvmOptions);
            }
            List<String> command = new ArrayList<>(List.of(Path.of(IMAGE, "bin", "kubeha").toString()));
            command.addAll(List.of(args));
            return command;
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "dev.kubeha.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }

    public static String shellQuoted(List<String> command) {
        StringBuilder out = new StringBuilder();
        for (String part : command) {
            out.append('\'').append(part.replace("'", "'\\''")).append("' ");
        }
        return out.toString().strip();
    }
}
