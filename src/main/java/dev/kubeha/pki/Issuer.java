package dev.kubeha.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Signs certificates for {@link CertificateRequest}s, with kubeadm's conventions (5 minutes backdated, random serial). */
final class Issuer {
    static final Duration BACKDATE = Duration.ofMinutes(5);
    static final Duration CA_VALIDITY = Duration.ofDays(3650);

    private Issuer() {
    }

    static X509Certificate selfSignedCa(CertificateRequest request, KeyPair keys, Instant now, SecureRandom random) {
        X500Name subject = subject(request.commonName());
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        return sign(subject, keys.getPublic(), subject, keys.getPrivate(), null, request, start,
                start.plus(request.validity()), random);
    }

    /** A leaf signed by the CA; it expires when its validity ends or with its CA, whichever comes first. */
    static X509Certificate leaf(CertificateRequest request, PublicKey leafKey, X509Certificate ca, PrivateKey caKey,
                                Instant now, SecureRandom random) {
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        return sign(subject(request.commonName()), leafKey, issuer, caKey, ca, request, start,
                notAfter(request, ca, now), random);
    }

    /** When a leaf issued now for this request expires: at the end of its validity, or earlier with its CA. */
    static Instant notAfter(CertificateRequest request, X509Certificate ca, Instant now) {
        return outlivesCa(request, ca, now) ? ca.getNotAfter().toInstant()
                : now.truncatedTo(ChronoUnit.SECONDS).plus(request.validity());
    }

    /** Whether a leaf issued now would outlive its CA if it were not cut short. */
    static boolean outlivesCa(CertificateRequest request, X509Certificate ca, Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).plus(request.validity()).isAfter(ca.getNotAfter().toInstant());
    }

    /** The subject alternative names in a certificate, as a set of ASN.1 names. */
    static Set<GeneralName> altNames(X509Certificate cert) {
        GeneralNames names = GeneralNames.fromExtensions(holder(cert).getExtensions(), Extension.subjectAlternativeName);
        return names == null ? Set.of() : Set.of(names.getNames());
    }

    private static X509Certificate sign(X500Name subject, PublicKey publicKey, X500Name issuer, PrivateKey signer,
                                        X509Certificate ca, CertificateRequest request, Instant start, Instant end,
                                        SecureRandom random) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, Crypto.serial(random),
                Date.from(start.minus(BACKDATE)), Date.from(end), subject, publicKey);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            SubjectKeyIdentifier ski = utils.createSubjectKeyIdentifier(publicKey);
            builder.addExtension(Extension.subjectKeyIdentifier, false, ski);
            if (request.isCa()) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                byte[] caKeyId = SubjectKeyIdentifier.fromExtensions(holder(ca).getExtensions()).getKeyIdentifier();
                builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyId));
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                int usage = publicKey instanceof RSAKey
                        ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                KeyPurposeId[] purposes = request.usages().stream().sorted()
                        .map(ExtendedUsage::purpose).toArray(KeyPurposeId[]::new);
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            }
            if (!request.altNames().isEmpty()) {
                GeneralName[] names = request.altNames().generalNames().toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            JcaContentSignerBuilder signerBuilder = new JcaContentSignerBuilder(Crypto.signatureAlgorithm(signer))
                    .setProvider(Crypto.PROVIDER).setSecureRandom(random);
            return new JcaX509CertificateConverter().setProvider(Crypto.PROVIDER)
                    .getCertificate(builder.build(signerBuilder.build(signer)));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue certificate " + request.name(), e);
        }
    }

    private static X500Name subject(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    static X509CertificateHolder holder(X509Certificate cert) {
        try {
            return new X509CertificateHolder(cert.getEncoded());
        } catch (IOException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot re-read certificate " + cert.getSubjectX500Principal(), e);
        }
    }
}
