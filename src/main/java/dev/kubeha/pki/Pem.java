package dev.kubeha.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

/** PEM encoding of certificates and PKCS#8 private keys, and their parsing. */
final class Pem {
    private Pem() {
    }

    static byte[] certificate(X509Certificate cert) {
        return write(cert);
    }

    static byte[] privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (PemGenerationException e) {
            throw new IllegalStateException("cannot encode a " + key.getAlgorithm() + " key", e);
        }
    }

    /** The certificate in a PEM file, or null when the bytes are not one PEM certificate. */
    static X509Certificate parseCertificate(byte[] pem) {
        try {
            Object object = read(pem);
            if (!(object instanceof X509CertificateHolder holder)) {
                return null;
            }
            return new JcaX509CertificateConverter().setProvider(Crypto.PROVIDER).getCertificate(holder);
        } catch (IOException | CertificateException e) {
            return null;
        }
    }

    /** The private key in a PEM file (PKCS#8 or traditional), or null when the bytes hold none. */
    static PrivateKey parsePrivateKey(byte[] pem) {
        try {
            Object object = read(pem);
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Crypto.PROVIDER);
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Object read(byte[] pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            return parser.readObject();
        }
    }

    private static byte[] write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
