package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kubeha.pki.CertificateExpiry;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renewal's CA check, run by bash and openssl on a CA file: only the state directory's CA passes. */
@Tag("tools")
class RenewalCaCheckToolsTest {
    @TempDir
    Path dir;

    @Test
    void aHostWhoseCaIsNotTheStateDirectorysIsRefused() throws Exception {
        X509Certificate ours = EtcdPki.loadOrCreate(StateDir.at(dir.resolve("ours")), GuideSpecs.guide())
                .certificate("etcd-ca").orElseThrow();
        X509Certificate other = EtcdPki.loadOrCreate(StateDir.at(dir.resolve("other")), GuideSpecs.guide())
                .certificate("etcd-ca").orElseThrow();
        Path onHost = dir.resolve("ca.pem");
        Files.copy(dir.resolve("ours/pki/etcd/ca.pem"), onHost);
        assertEquals(0, bash(RenewalPhases.sameCa(onHost.toString(), CertificateExpiry.fingerprint(ours))));
        assertEquals(1, bash(RenewalPhases.sameCa(onHost.toString(), CertificateExpiry.fingerprint(other))));
    }

    static int bash(String command) {
        return Processes.run(Duration.ofSeconds(30), List.of("bash", "-c", command)).exitCode();
    }
}
