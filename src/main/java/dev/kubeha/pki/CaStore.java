package dev.kubeha.pki;

import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/** A certificate authority kept in the state directory: loaded and checked, or created when neither file exists. */
final class CaStore {
    /** The CA's certificate and key, and whether this load created them. */
    record Ca(X509Certificate certificate, PrivateKey key, byte[] certificatePem, byte[] keyPem, boolean fresh) {
    }

    private CaStore() {
    }

    static Ca loadOrCreate(StateDir state, Path certFile, Path keyFile, CertificateRequest request,
                           KeyAlgorithm algorithm, String label, Instant now, SecureRandom random) {
        Optional<byte[]> certPem = state.readPrivate(certFile);
        Optional<byte[]> keyPem = state.readPrivate(keyFile);
        if (certPem.isEmpty() && keyPem.isEmpty()) {
            KeyPair keys = Crypto.generate(algorithm, random);
            X509Certificate ca = Issuer.selfSignedCa(request, keys, now, random);
            byte[] newKey = Pem.privateKey(keys.getPrivate());
            byte[] newCert = Pem.certificate(ca);
            state.writePrivate(keyFile, newKey);
            state.writePrivate(certFile, newCert);
            return new Ca(ca, keys.getPrivate(), newCert, newKey, true);
        }
        X509Certificate ca = certPem.map(Pem::parseCertificate).orElse(null);
        PrivateKey key = keyPem.map(Pem::parsePrivateKey).orElse(null);
        check(ca, key, certFile, keyFile, label, now, random);
        return new Ca(ca, key, certPem.get(), keyPem.get(), false);
    }

    private static void check(X509Certificate ca, PrivateKey caKey, Path certFile, Path keyFile, String label,
                              Instant now, SecureRandom random) {
        String restore = "; restore the " + label + " from a backup of the state directory, or remove both "
                + certFile.getFileName() + " and " + keyFile.getFileName() + " in " + certFile.getParent()
                + " to create a new " + label + " (every certificate it signed is then reissued and must be"
                + " redistributed)";
        if (ca == null) {
            throw new StateException(certFile + " is missing or is not a PEM certificate" + restore);
        }
        if (caKey == null) {
            throw new StateException(keyFile + " is missing or is not a PEM private key" + restore);
        }
        if (ca.getBasicConstraints() < 0) {
            throw new StateException(certFile + " is not a CA certificate" + restore);
        }
        if (!Crypto.matches(caKey, ca.getPublicKey(), random)) {
            throw new StateException(keyFile + " is not the key of " + certFile + restore);
        }
        if (!ca.getNotAfter().toInstant().isAfter(now)) {
            throw new StateException("the " + label + " " + certFile + " expired on " + ca.getNotAfter().toInstant()
                    + restore);
        }
    }
}
