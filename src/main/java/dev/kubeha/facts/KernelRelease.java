package dev.kubeha.facts;

import dev.kubeha.model.Version;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the version at the start of a kernel release as uname -r prints it (6.12.43+deb13-amd64, 4.18.0-553.el8_10.x86_64). */
public final class KernelRelease {
    private static final Pattern LEADING_VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

    private KernelRelease() {
    }

    public static Optional<Version> version(String release) {
        Matcher m = LEADING_VERSION.matcher(release == null ? "" : release.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
    }

    /** True when the release reads as at least {@code minimum}; false when it cannot be read. */
    public static boolean atLeast(String release, Version minimum) {
        return version(release).map(v -> v.compareTo(minimum) >= 0).orElse(false);
    }
}
