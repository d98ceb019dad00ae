package dev.kubeha.facts;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The operating systems kubeha installs on, by os-release ID and VERSION_ID. */
public final class SupportedOs {
    /** One distribution and the versions of it kubeha supports. */
    public record Release(String id, String name, List<String> versions) {
        boolean matches(String osId, String osVersion) {
            return id.equals(osId) && versions.stream().anyMatch(v -> osVersion.equals(v)
                    || osVersion.startsWith(v + "."));
        }

        @Override
        public String toString() {
            return name + " " + String.join("/", versions);
        }
    }

    /**
     * Maintained releases for which the packages kubeha installs exist: pkgs.k8s.io's distribution-independent deb
     * and rpm repositories, containerd.io from Docker's repositories, the distributions' haproxy and keepalived.
     * A version matches when VERSION_ID equals it or begins with it and a dot (Rocky's 8.10 is 8).
     */
    public static final List<Release> RELEASES = List.of(
            new Release("debian", "Debian", List.of("12", "13")),
            new Release("ubuntu", "Ubuntu", List.of("22.04", "24.04")),
            new Release("rhel", "RHEL", List.of("8", "9", "10")),
            new Release("rocky", "Rocky Linux", List.of("8", "9", "10")),
            new Release("almalinux", "AlmaLinux", List.of("8", "9", "10")),
            new Release("centos", "CentOS Stream", List.of("9", "10")));

    private SupportedOs() {
    }

    public static Optional<Release> find(String osId, String osVersion) {
        return RELEASES.stream().filter(r -> r.matches(osId, osVersion)).findFirst();
    }

    /** "Debian 12/13, Ubuntu 22.04/24.04, ...": for messages. */
    public static String list() {
        return RELEASES.stream().map(Release::toString).collect(Collectors.joining(", "));
    }
}
