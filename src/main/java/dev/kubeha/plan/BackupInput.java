package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;

/**
 * What the backup workflow plans from: the cluster and kubeha's etcdctl client pair (PEM) from the state directory,
 * which the snapshot step puts on the member only while it takes the snapshot. Its text never shows the key.
 */
public record BackupInput(ClusterSpec spec, String clientCertificatePem, String clientKeyPem) {
    @Override
    public String toString() {
        return "BackupInput[" + spec.cluster().name() + ", kubeha's etcdctl client pair]";
    }
}
