package dev.kubeha.pki;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** An extended key usage kubeha puts in a leaf certificate. */
public enum ExtendedUsage {
    SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
    CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth);

    private final KeyPurposeId purpose;

    ExtendedUsage(KeyPurposeId purpose) {
        this.purpose = purpose;
    }

    public KeyPurposeId purpose() {
        return purpose;
    }

    /** The dotted OID, as {@link java.security.cert.X509Certificate#getExtendedKeyUsage()} reports it. */
    public String oid() {
        return purpose.getId();
    }
}
