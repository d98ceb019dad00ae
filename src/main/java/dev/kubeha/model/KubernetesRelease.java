package dev.kubeha.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What kubeha knows about one supported Kubernetes minor: config API, etcd floor, add-on versions, support window,
 * pause image, and the containerd versions that run it.
 *
 * @param containerd the lowest recommended version of each containerd line (containerd's RELEASES.md)
 * @param oldestContainerd below it the kubelet cannot run with containerd at all
 * @param containerdArchive the containerd release kubeha installs where the distribution's is older
 * @param runc the runc release that goes with {@code containerdArchive} (its script/setup/runc-version)
 * @param cniPlugins the CNI plugins release containerdArchive is built against
 * @param criDockerd the cri-dockerd release kubeha installs with {@code containerRuntime: docker}
 */
public record KubernetesRelease(String minor, String kubeadmApiVersion, Version minExternalEtcd,
                                Optional<String> kubePrometheus, String flannel, LocalDate endOfLife,
                                String pauseVersion, List<Version> containerd, Version oldestContainerd,
                                Version containerdArchive, Version runc, Version cniPlugins, Version criDockerd) {
    public KubernetesRelease {
        containerd = List.copyOf(containerd);
    }

    /** Whether containerd recommends this version for the minor: its line is listed and it is not older. */
    public boolean containerdRecommended(Version installed) {
        return containerd.stream().anyMatch(v -> v.major() == installed.major() && v.minor() == installed.minor()
                && installed.compareTo(v) >= 0);
    }

    public boolean endOfLifeBefore(LocalDate today) {
        return endOfLife.isBefore(today);
    }
}
