import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build-time helper of jlink/shrink.sh: merges the library jars into one jar as a Java of the given release loads
 * them (the multi-release versions up to it laid over the base classes; no signature files, module-info or OSGi
 * headers; a manifest of its own), joins the lines of each META-INF/services file, writes each library's licence and
 * notice files to LICENCE_DIR/JAR-NAME/ (their names collide), and fails on any other entry two jars hold with
 * different contents. Prints a ProGuard keep rule for every class a service or jline terminal-provider file names.
 * Usage: java FlattenJars.java RELEASE OUT_JAR LICENCE_DIR JAR...
 */
public final class FlattenJars {
    private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/(\\d+)/(.+)");
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");
    /** OSGi bundle headers (BouncyCastle's, one per jar and release): for OSGi containers, meaningless merged. */
    private static final Pattern OSGI = Pattern.compile("(META-INF/versions/\\d+/)?OSGI-INF/.*");
    private static final Pattern SERVICES = Pattern.compile("META-INF/services/[^/]+");
    private static final Pattern NAMED_CLASSES = Pattern.compile(
            "META-INF/services/[^/]+|META-INF/services/org/jline/terminal/provider/[^/]+");
    private static final Pattern LICENCE = Pattern.compile(
            "META-INF/([^/]*[-_])?(LICEN[CS]E|NOTICE|COPYING|DEPENDENCIES)([-_.][^/]*)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.]*");

    public static void main(String[] args) throws IOException {
        Merged merged = new Merged();
        try {
            for (int i = 3; i < args.length; i++) {
                merged.add(Path.of(args[i]), Integer.parseInt(args[0]), Path.of(args[2]));
            }
        } catch (IllegalStateException conflict) {
            System.err.println("FlattenJars: " + conflict.getMessage());
            System.exit(1);
        }
        merged.write(Path.of(args[1]));
        merged.named.forEach(name -> System.out.println("-keep class " + name + " { <init>(...); }"));
    }

    /** The entries of the jars merged so far, where each came from, and the classes their service files name. */
    static final class Merged {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        final Map<String, String> origin = new LinkedHashMap<>();
        final Map<String, Set<String>> serviceLines = new LinkedHashMap<>();
        final Manifest manifest = new Manifest();
        final Set<String> named = new LinkedHashSet<>();

        Merged() {
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        }

        /** Adds one jar as the release loads it; its licence files go to licences/JAR-NAME/. */
        void add(Path jar, int release, Path licences) throws IOException {
            String jarName = jar.getFileName().toString().replaceFirst("\\.jar$", "");
            Map<String, byte[]> flat = new LinkedHashMap<>();
            Map<String, Integer> versionOf = new LinkedHashMap<>();
            try (JarFile in = new JarFile(jar.toFile(), false)) {
                for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    String name = entry.getName();
                    if (entry.isDirectory() || name.equals(JarFile.MANIFEST_NAME) || SIGNATURE.matcher(name).matches()
                            || name.endsWith("module-info.class") || OSGI.matcher(name).matches()) {
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
                        flat.put(name, bytes);
                        versionOf.put(name, version);
                    }
                }
            }
            for (Map.Entry<String, byte[]> entry : flat.entrySet()) {
                String name = entry.getKey();
                byte[] bytes = entry.getValue();
                if (LICENCE.matcher(name).matches()) {
                    Path target = licences.resolve(jarName).resolve(name.substring("META-INF/".length()));
                    Files.createDirectories(target.getParent());
                    Files.write(target, bytes);
                    continue;
                }
                if (NAMED_CLASSES.matcher(name).matches()) {
                    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R")) {
                        String className = line.replaceAll("#.*", "").replaceFirst("^\\s*class\\s*=", "").strip();
                        if (CLASS_NAME.matcher(className).matches()) {
                            named.add(className);
                        }
                    }
                }
                if (SERVICES.matcher(name).matches()) {
                    Set<String> lines = serviceLines.computeIfAbsent(name, n -> new LinkedHashSet<>());
                    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R")) {
                        String value = line.replaceAll("#.*", "").strip();
                        if (!value.isEmpty()) {
                            lines.add(value);
                        }
                    }
                } else {
                    byte[] earlier = entries.putIfAbsent(name, bytes);
                    if (earlier != null && !Arrays.equals(earlier, bytes)) {
                        throw new IllegalStateException(name + " differs in " + origin.get(name) + " and " + jarName
                                + ": merging the library jars would keep only the first");
                    }
                    origin.putIfAbsent(name, jarName);
                }
            }
        }

        /** Writes the merged jar, the service files last, each line once in the order the jars came. */
        void write(Path target) throws IOException {
            try (OutputStream file = Files.newOutputStream(target);
                 JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    out.putNextEntry(new JarEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
                for (Map.Entry<String, Set<String>> service : serviceLines.entrySet()) {
                    out.putNextEntry(new JarEntry(service.getKey()));
                    out.write((String.join("\n", service.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
        }
    }
}
