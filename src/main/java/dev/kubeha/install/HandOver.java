package dev.kubeha.install;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.render.Topology;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import dev.kubeha.state.StateDir;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The end of an install: the admin kubeconfig copied into the state directory, and /healthz asked through the VIP. */
public final class HandOver {
    public static final String KUBECONFIG = "admin.conf";
    static final String REMOTE_ADMIN_CONF = "/etc/kubernetes/admin.conf";

    /**
     * @param kubeconfig the copied kubeconfig (0600), empty when the first control plane has none yet
     * @param healthz what https://ENDPOINT/healthz answered from this jump host, verified against the cluster CA
     */
    public record Result(Optional<Path> kubeconfig, String healthz) {
    }

    private HandOver() {
    }

    public static Path kubeconfigPath(StateDir state) {
        return state.root().resolve(KUBECONFIG);
    }

    public static Result run(RemoteHost firstControlPlane, ClusterSpec spec, StateDir state, ClusterCa ca) {
        Optional<Path> kubeconfig;
        try {
            kubeconfig = firstControlPlane.read(REMOTE_ADMIN_CONF).map(bytes -> {
                state.writePrivate(kubeconfigPath(state), bytes);
                return kubeconfigPath(state);
            });
        } catch (SshException e) {
            kubeconfig = Optional.empty();
        }
        return new Result(kubeconfig, healthz(spec, ca));
    }

    /** TLS that trusts only kubeha's cluster CA. */
    static SSLContext trusting(ClusterCa ca) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("kubernetes-ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return tls;
    }

    /** The API server's /healthz through the control-plane endpoint, trusting only kubeha's cluster CA. */
    static String healthz(ClusterSpec spec, ClusterCa ca) {
        String url = "https://" + Topology.controlPlaneEndpoint(spec) + "/healthz";
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return url + " answered " + response.statusCode() + " " + response.body().strip();
        } catch (IOException | GeneralSecurityException e) {
            return url + " did not answer from this jump host: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return url + ": interrupted";
        }
    }
}
