package dev.kubeha.plan;

import java.time.Duration;
import java.util.Optional;

/**
 * What the renewal workflow plans from: the plan input rendered with the renewed etcd PKI, which parts to renew, the
 * window (empty: everything kubeha renews), the SHA-256 fingerprints of the CAs in the state directory, which the
 * hosts' CAs must match before anything is written, and the round: the name of this renewal, the same when a failed
 * renewal is run again, so what it finished on a host is not repeated.
 */
public record CertificateRenewal(PlanInput input, boolean etcd, boolean kubernetes, Optional<Duration> within,
                                 String etcdCaFingerprint, String clusterCaFingerprint, String round) {
}
