package dev.kubeha.pki;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.model.Role;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.state.StateDir;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The Kubernetes cluster CA, made by kubeha and placed on the first control plane before kubeadm init (kubeadm uses
 * an existing ca.crt/ca.key), so the joins' CA hash is known when they are rendered instead of scraped after init.
 */
public final class ClusterCa {
    public static final String STATE_SUBDIR = "pki/kubernetes";
    public static final String CERT_PATH = "/etc/kubernetes/pki/ca.crt";
    public static final String KEY_PATH = "/etc/kubernetes/pki/ca.key";
    static final CertificateRequest REQUEST = new CertificateRequest("kubernetes-ca", "ca", null, "kubernetes",
            Set.of(), AltNames.NONE, Issuer.CA_VALIDITY);

    private final X509Certificate certificate;
    private final byte[] certificatePem;
    private final byte[] keyPem;

    private ClusterCa(CaStore.Ca ca) {
        this.certificate = ca.certificate();
        this.certificatePem = ca.certificatePem();
        this.keyPem = ca.keyPem();
    }

    public static ClusterCa loadOrCreate(StateDir state) {
        return loadOrCreate(state, Clock.systemUTC(), new SecureRandom());
    }

    /** kubeadm's default key type for the cluster CA is RSA 2048; its validity is ten years, as kubeadm's. */
    public static ClusterCa loadOrCreate(StateDir state, Clock clock, SecureRandom random) {
        Path dir = state.subdir(STATE_SUBDIR);
        return new ClusterCa(CaStore.loadOrCreate(state, dir.resolve("ca.pem"), dir.resolve("ca-key.pem"), REQUEST,
                KeyAlgorithm.RSA_2048, "Kubernetes cluster CA", clock.instant(), random));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA's own expiry (ten years), as read from the state directory. */
    public CertificateExpiry expiry() {
        return CertificateExpiry.of(REQUEST.name(), "state", certificate, true);
    }

    public byte[] certificatePem() {
        return certificatePem.clone();
    }

    /** kubeadm's discovery pin: "sha256:" and the hex SHA-256 of the CA's DER SubjectPublicKeyInfo. */
    public String caCertHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA pair, on the first control plane only: the others receive it through kubeadm's uploaded certs. */
    public List<RenderedFile> hostFiles(ClusterSpec spec) {
        return spec.hostsWith(Role.CONTROL_PLANE).stream().limit(1).flatMap(first -> List.of(
                new RenderedFile(first.name(), CERT_PATH, 0644, "root", certificatePem),
                new RenderedFile(first.name(), KEY_PATH, 0600, "root", keyPem)).stream()).toList();
    }
}
