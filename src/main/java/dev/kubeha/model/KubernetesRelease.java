package dev.kubeha.model;

import java.time.LocalDate;
import java.util.Optional;

/** What kubeha knows about one supported Kubernetes minor: config API, etcd floor, add-on versions, support window, pause image. */
public record KubernetesRelease(String minor, String kubeadmApiVersion, Version minExternalEtcd,
                                Optional<String> kubePrometheus, String flannel, LocalDate endOfLife,
                                String pauseVersion) {
    public boolean endOfLifeBefore(LocalDate today) {
        return endOfLife.isBefore(today);
    }
}
