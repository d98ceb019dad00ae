package dev.kubeha.pki;

import java.time.Duration;
import java.util.Set;

/**
 * A concrete certificate to issue: a {@link CertificateTemplate} row applied to the spec (and a member).
 *
 * @param name unique name, e.g. {@code etcd-server/ceph1}
 * @param stateFile path of its files below the state dir's {@code pki/etcd/}, without {@code .pem}
 * @param caName the signing CA's name, or null for a self-signed CA
 * @param validity the lifetime asked for; a leaf's is clamped to its CA's
 */
public record CertificateRequest(String name, String stateFile, String caName, String commonName,
                                 Set<ExtendedUsage> usages, AltNames altNames, Duration validity) {
    public CertificateRequest {
        usages = Set.copyOf(usages);
    }

    public CertificateRequest withValidity(Duration lifetime) {
        return new CertificateRequest(name, stateFile, caName, commonName, usages, altNames, lifetime);
    }

    public boolean isCa() {
        return caName == null;
    }
}
