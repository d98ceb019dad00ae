package dev.kubeha.install;

import dev.kubeha.render.RenderedFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The certificates kubeha issued itself (the etcd PKI and the cluster CA, which kubeadm does not renew) by expiry. */
public final class IssuedCertificates {
    private IssuedCertificates() {
    }

    /** Each certificate kubeha puts on the hosts that ends before {@code until}: "HOST:PATH (ends DATE)". */
    public static List<String> endingBefore(ClusterWorkspace workspace, Instant until) {
        List<RenderedFile> files = new ArrayList<>(workspace.pki().hostFiles(workspace.spec()));
        files.addAll(workspace.clusterCa().hostFiles(workspace.spec()));
        Set<String> ending = new LinkedHashSet<>();
        for (RenderedFile f : files) {
            if (!new String(f.content(), StandardCharsets.US_ASCII).startsWith("-----BEGIN CERTIFICATE-----")) {
                continue;
            }
            X509Certificate certificate = parse(f);
            if (certificate.getNotAfter().toInstant().isBefore(until)) {
                ending.add(f.host() + ":" + f.path() + " (ends " + certificate.getNotAfter().toInstant() + ")");
            }
        }
        return List.copyOf(ending);
    }

    private static X509Certificate parse(RenderedFile f) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(f.content()));
        } catch (CertificateException e) {
            throw new IllegalStateException(f.host() + ":" + f.path() + " is not a certificate: " + e.getMessage(), e);
        }
    }
}
