package dev.kubeha.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a cluster may be upgraded from its version to a target, as kubeadm's version policy and kubeha's release
 * table allow: one minor at a time (or a patch of the same minor), never down, only to a minor kubeha supports and,
 * with kube-prometheus on, only to a minor that has a kube-prometheus release.
 *
 * @param from the version the cluster runs (the answers file's cluster.kubernetesVersion)
 * @param to the target version
 * @param release what kubeha knows about the target's minor
 */
public record UpgradePath(Version from, Version to, KubernetesRelease release) {
    /** Why an upgrade is refused: every reason, each naming the versions involved. */
    public static final class Refused extends RuntimeException {
        private final List<String> reasons;

        public Refused(List<String> reasons) {
            super(String.join("; ", reasons));
            this.reasons = List.copyOf(reasons);
        }

        public List<String> reasons() {
            return reasons;
        }
    }

    /** The upgrade from {@code current} to {@code target}, or {@link Refused} with every reason. */
    public static UpgradePath check(String current, String target, boolean kubePrometheus) {
        Optional<Version> parsedTarget = Version.parse(target);
        if (parsedTarget.isEmpty()) {
            throw new Refused(List.of("'" + target + "' is not a Kubernetes version such as 1.37.1"));
        }
        Version from = Version.of(current);
        Version to = parsedTarget.get();
        List<String> reasons = new ArrayList<>();
        Optional<KubernetesRelease> release = SupportedReleases.forVersion(to);
        if (release.isEmpty()) {
            reasons.add("kubeha does not support Kubernetes " + to.minorLine() + " (it supports "
                    + SupportedReleases.minors() + ")");
        }
        if (to.compareTo(from) < 0) {
            reasons.add("the cluster runs " + from + ": a downgrade to " + to + " is not possible");
        } else if (to.equals(from)) {
            reasons.add("the cluster runs " + from + " already");
        } else if (to.major() != from.major() || to.minor() > from.minor() + 1) {
            reasons.add("kubeadm upgrades one minor at a time: from " + from + " upgrade to " + from.major() + "."
                    + (from.minor() + 1) + ".x first");
        }
        if (release.isPresent() && kubePrometheus && release.get().kubePrometheus().isEmpty()) {
            reasons.add("no kube-prometheus release supports Kubernetes " + to.minorLine()
                    + ": set addons.kubePrometheus to false first");
        }
        if (!reasons.isEmpty()) {
            throw new Refused(reasons);
        }
        return new UpgradePath(from, to, release.orElseThrow());
    }

    /** True when the minor changes (the package repository line changes too). */
    public boolean newMinor() {
        return to.minor() != from.minor();
    }
}
