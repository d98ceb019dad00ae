package dev.kubeha.plan;

import java.time.Duration;
import java.util.Optional;

/**
 * What the renewal workflow plans from: the plan input rendered with the renewed etcd PKI, which parts to renew, the
 * window (empty: everything kubeha renews) and the SHA-256 fingerprints of the CAs in the state directory, which the
 * hosts' CAs must match before anything is written.
 */
public record CertificateRenewal(PlanInput input, boolean etcd, boolean kubernetes, Optional<Duration> within,
                                 String etcdCaFingerprint, String clusterCaFingerprint) {
}
