package dev.kubeha.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.sources.SourceCache;
import dev.kubeha.testing.ReleaseServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.junit.jupiter.api.Test;

/** The Debian repository as apt reads it, served on 127.0.0.1 and signed with the lab's fixture key. */
class DebRepositoryTest {
    static final Path SECRET = Path.of("lab/fixtures/packaging/signing-key.asc");
    static final Path PUBLIC = Path.of("lab/fixtures/packaging/signing-key.pub.asc");
    static final String LAB_PIN = "770A5A11914AE2052F38DF29B9D5FECE9CBA154E";

    /** A flat repository with kubeadm/kubelet/kubectl 1.36.2 and 1.36.3, cri-tools and kubernetes-cni. */
    static final class Repo {
        final StringBuilder packages = new StringBuilder();

        void deb(ReleaseServer server, String prefix, String name, String version, String arch, String depends) {
            byte[] content = (name + " " + version + " " + arch).getBytes(StandardCharsets.US_ASCII);
            String file = name + "_" + version + "_" + arch + ".deb";
            server.put(prefix + file, content);
            packages.append("Package: ").append(name).append("\nVersion: ").append(version)
                    .append("\nArchitecture: ").append(arch).append(depends.isEmpty() ? "" : "\nDepends: " + depends)
                    .append("\nFilename: ./").append(file).append("\nSize: ").append(content.length)
                    .append("\nSHA256: ").append(sha(content)).append("\nDescription: test\n continued line\n\n");
        }

        void publish(ReleaseServer server, String prefix, byte[] key, boolean sign) throws Exception {
            byte[] list = packages.toString().getBytes(StandardCharsets.UTF_8);
            server.put(prefix + "Packages", list);
            byte[] release = ("Origin: test\nArchitectures: amd64 arm64\nSHA256:\n " + sha(list) + " " + list.length
                    + " Packages\n").getBytes(StandardCharsets.UTF_8);
            server.put(prefix + "Release", release);
            server.put(prefix + "Release.gpg", sign ? sign(release) : new byte[0]);
            server.put(prefix + "Release.key", key);
        }
    }

    static Repo standard(ReleaseServer server, String prefix) {
        Repo r = new Repo();
        for (String arch : List.of("amd64", "arm64")) {
            for (String v : List.of("1.36.2-1.1", "1.36.3-1.1")) {
                r.deb(server, prefix, "kubelet", v, arch, "iptables, kubernetes-cni (>= 1.2.0)");
                r.deb(server, prefix, "kubeadm", v, arch, "cri-tools (>= 1.30.0), kubeadm-helper:any | other");
                r.deb(server, prefix, "kubectl", v, arch, "");
            }
            r.deb(server, prefix, "cri-tools", "1.36.0-1.1", arch, "");
            r.deb(server, prefix, "kubernetes-cni", "1.7.1-1.1", arch, "");
            r.deb(server, prefix, "kubernetes-cni", "1.6.0-1.1", arch, "");
        }
        return r;
    }

    @Test
    void theExactVersionAndItsRepositoryDependenciesAreChosenPerArchitectureWithTheirChecksums() throws Exception {
        try (ReleaseServer server = new ReleaseServer()) {
            standard(server, "/deb/").publish(server, "/deb/", Files.readAllBytes(PUBLIC), true);
            DebRepository repo = new DebRepository(HttpClient.newHttpClient(), server.base().resolve("deb/"));
            List<DebRepository.Package> chosen = DebRepository.select(repo.packages(Optional.of(LAB_PIN)),
                    List.of("kubelet", "kubeadm", "kubectl"), "1.36.3", List.of("amd64", "arm64"));
            assertEquals(List.of("kubelet 1.36.3-1.1 amd64", "kubeadm 1.36.3-1.1 amd64", "kubectl 1.36.3-1.1 amd64",
                    "kubernetes-cni 1.7.1-1.1 amd64", "cri-tools 1.36.0-1.1 amd64", "kubelet 1.36.3-1.1 arm64",
                    "kubeadm 1.36.3-1.1 arm64", "kubectl 1.36.3-1.1 arm64", "kubernetes-cni 1.7.1-1.1 arm64",
                    "cri-tools 1.36.0-1.1 arm64"), chosen.stream().map(p -> p.name() + " " + p.version() + " "
                    + p.arch()).toList());
            DebRepository.Package kubeadm = chosen.get(1);
            assertEquals(sha("kubeadm 1.36.3-1.1 amd64".getBytes(StandardCharsets.US_ASCII)), kubeadm.sha256());
            assertEquals(server.base().resolve("deb/kubeadm_1.36.3-1.1_amd64.deb"),
                    repo.download(kubeadm, "cluster.packageRepository").url());
            assertTrue(assertThrows(BundleException.class, () -> DebRepository.select(
                    repo.packages(Optional.empty()), List.of("kubeadm"), "1.36.4", List.of("amd64")))
                    .getMessage().contains("no kubeadm 1.36.4 for amd64"));
        }
    }

    @Test
    void aKeyOtherThanThePinnedOneIsRefused() throws Exception {
        try (ReleaseServer server = new ReleaseServer()) {
            standard(server, "/deb/").publish(server, "/deb/", Files.readAllBytes(PUBLIC), true);
            DebRepository repo = new DebRepository(HttpClient.newHttpClient(), server.base().resolve("deb/"));
            BundleException e = assertThrows(BundleException.class,
                    () -> repo.packages(Optional.of("0".repeat(40))));
            assertTrue(e.getMessage().contains("is " + LAB_PIN + ", not the pinned"), e.getMessage());
        }
    }

    @Test
    void anUnsignedOrChangedReleaseOrPackagesFileIsRefused() throws Exception {
        try (ReleaseServer server = new ReleaseServer()) {
            standard(server, "/deb/").publish(server, "/deb/", Files.readAllBytes(PUBLIC), false);
            DebRepository repo = new DebRepository(HttpClient.newHttpClient(), server.base().resolve("deb/"));
            assertThrows(BundleException.class, () -> repo.packages(Optional.of(LAB_PIN)));

            standard(server, "/deb/").publish(server, "/deb/", Files.readAllBytes(PUBLIC), true);
            byte[] release = server.file("/deb/Release");
            server.put("/deb/Release", (new String(release, StandardCharsets.UTF_8) + "Label: changed\n")
                    .getBytes(StandardCharsets.UTF_8));
            assertTrue(assertThrows(BundleException.class, () -> repo.packages(Optional.of(LAB_PIN))).getMessage()
                    .contains("is not a valid signature"));

            standard(server, "/deb/").publish(server, "/deb/", Files.readAllBytes(PUBLIC), true);
            server.put("/deb/Packages", "Package: kubeadm\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(assertThrows(BundleException.class, () -> repo.packages(Optional.of(LAB_PIN))).getMessage()
                    .contains("its signed Release gives"));
        }
    }

    static String sha(byte[] content) {
        return HexFormat.of().formatHex(SourceCache.digest().digest(content));
    }

    static byte[] sign(byte[] data) throws IOException, PGPException {
        PGPSecretKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(SECRET))) {
            rings = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
        }
        PGPSecretKey key = rings.getKeyRings().next().getSecretKey();
        PGPSignatureGenerator generator = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(
                key.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA512), key.getPublicKey());
        generator.init(PGPSignature.BINARY_DOCUMENT, key.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(
                new BcPGPDigestCalculatorProvider()).build(new char[0])));
        generator.update(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            generator.generate().encode(armored);
        }
        return out.toByteArray();
    }
}
