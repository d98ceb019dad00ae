package dev.kubeha.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * When one certificate kubeha or kubeadm manages expires, and where it was read.
 *
 * @param name the certificate's name, e.g. {@code etcd-server/ceph1}, {@code apiserver}, {@code admin.conf}
 * @param location a host name, or {@code state} for the jump host's state directory
 * @param notAfter its expiry
 * @param ca whether it is a CA (ten years; renewing one is not kubeha's business)
 */
public record CertificateExpiry(String name, String location, Instant notAfter, boolean ca) {
    /** Warnings and {@code status} flag what expires within this many days. */
    public static final Duration WARN_WITHIN = Duration.ofDays(30);

    public static CertificateExpiry of(String name, String location, X509Certificate certificate, boolean ca) {
        return new CertificateExpiry(name, location, certificate.getNotAfter().toInstant(), ca);
    }

    /** The client certificate a kubeconfig embeds ({@code client-certificate-data}); empty when it has none. */
    public static Optional<CertificateExpiry> ofKubeconfig(String name, String location, String kubeconfig) {
        return kubeconfig.lines().map(String::strip).filter(l -> l.startsWith("client-certificate-data:")).findFirst()
                .flatMap(line -> {
                    try {
                        byte[] pem = Base64.getDecoder().decode(line.substring(line.indexOf(':') + 1).strip());
                        return Optional.of(of(name, location, Pem.parseCertificate(pem), false));
                    } catch (RuntimeException e) {
                        return Optional.empty();
                    }
                });
    }

    /** Whole days left (negative once expired). */
    public long daysLeft(Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400);
    }

    public boolean expiresWithin(Duration window, Instant now) {
        return notAfter.isBefore(now.plus(window));
    }

    /** openssl's {@code -fingerprint -sha256} form: upper-case hex pairs of the DER's SHA-256, colon separated. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
