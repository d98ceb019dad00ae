import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build-time helper of jlink/shrink.sh: writes each library jar as a Java of the given release loads it (the
 * multi-release versions up to it laid over the base classes, no signature files, the manifest's main section
 * only) into OUT_DIR, and prints a ProGuard keep rule for every class a jar names in META-INF/services or in jline's
 * terminal-provider files. Usage: java FlattenJars.java RELEASE OUT_DIR JAR...
 */
public final class FlattenJars {
    private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/(\\d+)/(.+)");
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");
    private static final Pattern NAMED_CLASSES = Pattern.compile(
            "META-INF/services/[^/]+|META-INF/services/org/jline/terminal/provider/[^/]+");
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.]*");

    public static void main(String[] args) throws IOException {
        int release = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        for (int i = 2; i < args.length; i++) {
            Path jar = Path.of(args[i]);
            for (String name : flatten(jar, release, out.resolve(jar.getFileName()))) {
                System.out.println("-keep class " + name + " { <init>(...); }");
            }
        }
    }

    /** Writes the flattened jar and returns the classes its service files name. */
    static List<String> flatten(Path jar, int release, Path target) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, Integer> versionOf = new LinkedHashMap<>();
        List<String> named = new ArrayList<>();
        Manifest manifest = new Manifest();
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            Manifest original = in.getManifest();
            if (original != null) {
                manifest.getMainAttributes().putAll(original.getMainAttributes());
                manifest.getMainAttributes().remove(new Attributes.Name("Multi-Release"));
            }
            manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || name.equals(JarFile.MANIFEST_NAME) || SIGNATURE.matcher(name).matches()
                        || name.endsWith("module-info.class")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream stream = in.getInputStream(entry)) {
                    bytes = stream.readAllBytes();
                }
                Matcher versioned = VERSIONED.matcher(name);
                int version = 0;
                if (versioned.matches()) {
                    version = Integer.parseInt(versioned.group(1));
                    name = versioned.group(2);
                    if (version > release) {
                        continue;
                    }
                }
                if (version >= versionOf.getOrDefault(name, -1)) {
                    entries.put(name, bytes);
                    versionOf.put(name, version);
                }
                if (NAMED_CLASSES.matcher(name).matches()) {
                    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R")) {
                        String value = line.replaceAll("#.*", "").replaceFirst("^\\s*class\\s*=", "").strip();
                        if (CLASS_NAME.matcher(value).matches()) {
                            named.add(value);
                        }
                    }
                }
            }
        }
        try (OutputStream file = Files.newOutputStream(target);
             JarOutputStream jarOut = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                jarOut.putNextEntry(new JarEntry(entry.getKey()));
                jarOut.write(entry.getValue());
                jarOut.closeEntry();
            }
        }
        return named;
    }
}
