import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * Build-time check of jlink/shrink.sh: every library class the recorded paths loaded (jlink/loaded-classes.txt,
 * written by jlink/record-classes.sh from an image of unshrunk jars) is in the shrunk jars; prints the missing ones
 * and exits 1. Usage: java CheckClasses.java LIST JAR...
 */
public final class CheckClasses {
    public static void main(String[] args) throws IOException {
        Set<String> present = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            try (JarFile jar = new JarFile(args[i], false)) {
                jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
                        .forEach(n -> present.add(n.substring(0, n.length() - 6).replace('/', '.')));
            }
        }
        List<String> wanted = Files.readAllLines(Path.of(args[0])).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (wanted.isEmpty()) {
            System.out.println(args[0] + " lists no class: record it with jlink/record-classes.sh");
            System.exit(1);
        }
        List<String> missing = wanted.stream().filter(c -> !present.contains(c)).toList();
        missing.forEach(c -> System.out.println("missing after shrinking: " + c));
        System.out.println("loaded-classes check: " + (wanted.size() - missing.size()) + " of " + wanted.size()
                + " recorded library classes present");
        System.exit(missing.isEmpty() ? 0 : 1);
    }
}
