package dev.kubeha.pki;

import dev.kubeha.model.KeyAlgorithm;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Key generation and the algorithm names that go with each {@link KeyAlgorithm}; BouncyCastle, never registered globally. */
final class Crypto {
    static final Provider PROVIDER = new BouncyCastleProvider();

    private Crypto() {
    }

    static KeyPair generate(KeyAlgorithm algorithm, SecureRandom random) {
        try {
            KeyPairGenerator generator;
            if (algorithm == KeyAlgorithm.RSA_2048) {
                generator = KeyPairGenerator.getInstance("RSA", PROVIDER);
                generator.initialize(2048, random);
            } else {
                generator = KeyPairGenerator.getInstance("EC", PROVIDER);
                generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm.yamlName() + " key", e);
        }
    }

    static KeyAlgorithm algorithmOf(PrivateKey key) {
        if (key instanceof RSAKey rsa) {
            return rsa.getModulus().bitLength() == 2048 ? KeyAlgorithm.RSA_2048 : null;
        }
        if (key instanceof ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() == 256 ? KeyAlgorithm.ECDSA_P256 : null;
        }
        return null;
    }

    static String signatureAlgorithm(PrivateKey signer) {
        return signer instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** Whether the private key belongs to the public key: a signature made with one verifies with the other. */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey, SecureRandom random) {
        try {
            byte[] probe = new byte[32];
            random.nextBytes(probe);
            String algorithm = signatureAlgorithm(privateKey);
            Signature sign = Signature.getInstance(algorithm, PROVIDER);
            sign.initSign(privateKey, random);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm, PROVIDER);
            verify.initVerify(publicKey);
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A random positive 127-bit serial number. */
    static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).setBit(0);
    }
}
