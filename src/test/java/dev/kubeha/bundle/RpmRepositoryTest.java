package dev.kubeha.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.sources.Download;
import dev.kubeha.testing.ReleaseServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * An rpm repository built here (repomd.xml signed with the lab's packaging key, primary.xml.gz, .rpm files) on
 * 127.0.0.1, read as dnf reads it: signature, pin and checksums checked, the exact version and its requirements chosen.
 */
class RpmRepositoryTest {
    private static final String PREFIX = "/core:/stable:/v1.36/rpm/";

    /** A repository with kubeadm/kubelet/kubectl 1.36.2 and 1.36.3 (two releases), cri-tools and kubernetes-cni. */
    static final class Repo {
        final StringBuilder primary = new StringBuilder();
        int count;

        void rpm(ReleaseServer server, String name, String version, String release, String arch, String... requires) {
            byte[] content = (name + " " + version + "-" + release + " " + arch).getBytes(StandardCharsets.US_ASCII);
            String path = arch + "/" + name + "-" + version + "-" + release + "." + arch + ".rpm";
            server.put(PREFIX + path, content);
            count++;
            primary.append("<package type=\"rpm\"><name>").append(name).append("</name><arch>").append(arch)
                    .append("</arch><version epoch=\"0\" ver=\"").append(version).append("\" rel=\"").append(release)
                    .append("\"/><checksum type=\"sha256\" pkgid=\"YES\">").append(DebRepositoryTest.sha(content))
                    .append("</checksum><location href=\"").append(path).append("\"/><size package=\"")
                    .append(content.length).append("\" installed=\"1\" archive=\"1\"/><format><rpm:requires>");
            for (String r : requires) {
                primary.append("<rpm:entry name=\"").append(r).append("\" flags=\"GE\" epoch=\"0\" ver=\"1.0\"/>");
            }
            primary.append("<rpm:entry name=\"/bin/sh\"/></rpm:requires></format></package>\n");
        }

        byte[] primaryXml() {
            return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata xmlns=\"http://linux.duke.edu/metadata/"
                    + "common\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"" + count + "\">\n"
                    + primary + "</metadata>\n").getBytes(StandardCharsets.UTF_8);
        }

        /** repomd.xml naming {@code primary} (compressed) at {@code href}, with {@code open}'s checksum and size. */
        static byte[] repomd(String href, byte[] primary, byte[] open) {
            return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\""
                    + " xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\"><revision>1</revision>"
                    + "<data type=\"filelists\"><checksum type=\"sha256\">" + "0".repeat(64) + "</checksum>"
                    + "<location href=\"repodata/x-filelists.xml.gz\"/></data>"
                    + "<data type=\"primary\"><checksum type=\"sha256\">" + DebRepositoryTest.sha(primary)
                    + "</checksum><open-checksum type=\"sha256\">" + DebRepositoryTest.sha(open) + "</open-checksum>"
                    + "<location href=\"" + href + "\"/><timestamp>1</timestamp><size>" + primary.length
                    + "</size><open-size>" + open.length + "</open-size></data></repomd>\n")
                    .getBytes(StandardCharsets.UTF_8);
        }

        void publish(ReleaseServer server, byte[] key, boolean sign) throws Exception {
            byte[] xml = primaryXml();
            publish(server, key, sign, "primary.xml.gz", gzip(xml), xml);
        }

        /** Publishes {@code primary} as repodata/SHA-NAME, named by repomd.xml (signed or not) with its open form. */
        static void publish(ReleaseServer server, byte[] key, boolean sign, String name, byte[] primary, byte[] open)
                throws Exception {
            String href = "repodata/" + DebRepositoryTest.sha(primary) + "-" + name;
            server.put(PREFIX + href, primary);
            byte[] repomd = repomd(href, primary, open);
            server.put(PREFIX + RpmRepository.REPOMD, repomd);
            server.put(PREFIX + RpmRepository.SIGNATURE, sign ? DebRepositoryTest.sign(repomd) : new byte[0]);
            server.put(PREFIX + RpmRepository.KEY, key);
        }
    }

    static Repo standard(ReleaseServer server) {
        Repo r = new Repo();
        for (String arch : List.of("x86_64", "aarch64")) {
            for (String v : List.of("1.36.2", "1.36.3")) {
                r.rpm(server, "kubelet", v, "150500.1.1", arch, "kubernetes-cni", "iptables");
                r.rpm(server, "kubeadm", v, "150500.1.1", arch, "cri-tools", "kubelet");
                r.rpm(server, "kubectl", v, "150500.1.1", arch);
            }
            r.rpm(server, "kubeadm", "1.36.3", "150500.1.10", arch, "cri-tools");
            r.rpm(server, "cri-tools", "1.36.0", "150500.1.1", arch);
            r.rpm(server, "kubernetes-cni", "1.7.1", "150500.1.1", arch);
            r.rpm(server, "kubernetes-cni", "1.10.0", "150500.1.1", arch);
        }
        return r;
    }

    private static RpmRepository repository(ReleaseServer server) {
        return new RpmRepository(HttpClient.newHttpClient(), server.base().resolve(PREFIX));
    }

    @Test
    void theExactVersionAndItsRepositoryRequirementsAreChosenPerArchitectureWithTheirChecksums() throws Exception {
        try (ReleaseServer server = new ReleaseServer()) {
            standard(server).publish(server, Files.readAllBytes(DebRepositoryTest.PUBLIC), true);
            List<RpmRepository.Package> all = repository(server).packages(Optional.of(DebRepositoryTest.LAB_PIN));
            List<RpmRepository.Package> chosen = RpmRepository.select(all, List.of("kubelet", "kubeadm", "kubectl"),
                    "1.36.3", List.of("amd64", "arm64"));
            assertEquals(List.of("kubelet-1.36.3-150500.1.1.x86_64.rpm", "kubeadm-1.36.3-150500.1.10.x86_64.rpm",
                    "kubectl-1.36.3-150500.1.1.x86_64.rpm", "kubernetes-cni-1.10.0-150500.1.1.x86_64.rpm",
                    "cri-tools-1.36.0-150500.1.1.x86_64.rpm", "kubelet-1.36.3-150500.1.1.aarch64.rpm",
                    "kubeadm-1.36.3-150500.1.10.aarch64.rpm", "kubectl-1.36.3-150500.1.1.aarch64.rpm",
                    "kubernetes-cni-1.10.0-150500.1.1.aarch64.rpm", "cri-tools-1.36.0-150500.1.1.aarch64.rpm"),
                    chosen.stream().map(RpmRepository.Package::fileName).toList());
            Download d = repository(server).download(chosen.get(1), "amd64", "cluster.packageRepository");
            assertEquals(server.base().resolve(PREFIX + "x86_64/kubeadm-1.36.3-150500.1.10.x86_64.rpm"), d.url());
            assertEquals(Optional.of(DebRepositoryTest.sha(server.file(PREFIX
                    + "x86_64/kubeadm-1.36.3-150500.1.10.x86_64.rpm"))), d.sha256());
            assertEquals("1.36.3-150500.1.10", d.version());
            assertTrue(assertThrows(BundleException.class, () -> RpmRepository.select(all, List.of("kubeadm"),
                    "1.36.9", List.of("amd64"))).getMessage().contains("no kubeadm 1.36.9 for x86_64"));
        }
    }

    @Test
    void aKeyOtherThanThePinnedOneIsRefused() throws Exception {
        try (ReleaseServer server = new ReleaseServer()) {
            standard(server).publish(server, Files.readAllBytes(DebRepositoryTest.PUBLIC), true);
            BundleException e = assertThrows(BundleException.class,
                    () -> repository(server).packages(Optional.of("0".repeat(40))));
            assertTrue(e.getMessage().startsWith("repodata/repomd.xml.key: is " + DebRepositoryTest.LAB_PIN
                    + ", not the pinned"), e.getMessage());
        }
    }

    @Test
    void anUnsignedOrChangedRepomdOrPrimaryIsRefused() throws Exception {
        try (ReleaseServer server = new ReleaseServer()) {
            Repo repo = standard(server);
            repo.publish(server, Files.readAllBytes(DebRepositoryTest.PUBLIC), false);
            assertTrue(assertThrows(BundleException.class, () -> repository(server).packages(Optional.empty()))
                    .getMessage().startsWith("repodata/repomd.xml.asc: "));
            repo.publish(server, Files.readAllBytes(DebRepositoryTest.PUBLIC), true);
            byte[] repomd = server.file(PREFIX + RpmRepository.REPOMD);
            byte[] changed = new String(repomd, StandardCharsets.UTF_8).replace("<revision>1<", "<revision>2<")
                    .getBytes(StandardCharsets.UTF_8);
            server.put(PREFIX + RpmRepository.REPOMD, changed);
            assertEquals("repodata/repomd.xml: its signature repodata/repomd.xml.asc is not a valid signature by"
                    + " repodata/repomd.xml.key; the repository is not trusted", assertThrows(BundleException.class,
                    () -> repository(server).packages(Optional.empty())).getMessage());
            server.put(PREFIX + RpmRepository.REPOMD, repomd);
            String href = RpmRepository.primary(repomd).href();
            server.put(PREFIX + href, gzip("<metadata/>".getBytes(StandardCharsets.UTF_8)));
            assertTrue(assertThrows(BundleException.class, () -> repository(server).packages(Optional.empty()))
                    .getMessage().contains("is not the " + RpmRepository.primary(repomd).sha256() + " ("),
                    "a primary that is not the one repomd.xml names is refused");
        }
    }

    /**
     * primary.xml.xz as createrepo_c 0.17 wrote it for three small rpms (Debian's createrepo_c has no zstd),
     * primary.xml uncompressed from it, primary.xml.zst made from that by zstd -19, and primary-xz9.xml.xz by xz -9.
     */
    private static byte[] resource(String name) throws IOException {
        try (var in = RpmRepositoryTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aZstdOrXzCompressedPrimaryIsReadAndCheckedAgainstBothChecksumsOfRepomd() throws Exception {
        byte[] xml = resource("primary.xml");
        byte[] zst = resource("primary.xml.zst");
        byte[] key = Files.readAllBytes(DebRepositoryTest.PUBLIC);
        try (ReleaseServer server = new ReleaseServer()) {
            Repo.publish(server, key, true, "primary.xml.zst", zst, xml);
            List<RpmRepository.Package> all = repository(server).packages(Optional.of(DebRepositoryTest.LAB_PIN));
            assertEquals(List.of("cri-tools-1.36.0-150500.1.1.noarch.rpm", "kubeadm-1.36.3-150500.1.1.noarch.rpm",
                    "kubelet-1.36.3-150500.1.1.noarch.rpm"),
                    all.stream().map(RpmRepository.Package::fileName).toList());
            assertEquals(List.of("conntrack-tools", "cri-tools"), all.get(2).requires());
            assertEquals("1b944efb77b1b281168da1ccb76bfce3b8048912efcc2986bd931f19b8814141", all.get(1).sha256());
            assertEquals(5573, all.get(1).size());

            Repo.publish(server, key, true, "primary.xml.xz", resource("primary.xml.xz"), xml);
            assertEquals(all, repository(server).packages(Optional.empty()));

            byte[] other = new String(xml, StandardCharsets.UTF_8).replace("5573", "5574")
                    .getBytes(StandardCharsets.UTF_8);
            Repo.publish(server, key, true, "primary.xml.zst", zst, other);
            String changed = assertThrows(BundleException.class, () -> repository(server).packages(Optional.empty()))
                    .getMessage();
            assertTrue(changed.endsWith("-primary.xml.zst: uncompressed, SHA-256 " + DebRepositoryTest.sha(xml) + " ("
                    + xml.length + " bytes) is not the open-checksum " + DebRepositoryTest.sha(other) + " ("
                    + other.length + " bytes) its signed repomd.xml gives; the mirror is inconsistent or tampered"
                    + " with"), changed);

            byte[] broken = zst.clone();
            broken[broken.length / 2] ^= 0x55;
            Repo.publish(server, key, true, "primary.xml.zst", broken, xml);
            String corrupt = assertThrows(BundleException.class, () -> repository(server).packages(Optional.empty()))
                    .getMessage();
            assertTrue(corrupt.contains("-primary.xml.zst: cannot decompress it: ")
                    || corrupt.contains("-primary.xml.zst: uncompressed, SHA-256 "), corrupt);

            Repo.publish(server, key, true, "primary.xml.xz", resource("primary-xz9.xml.xz"), xml);
            String xz9 = assertThrows(BundleException.class, () -> repository(server).packages(Optional.empty()))
                    .getMessage();
            assertTrue(xz9.endsWith("-primary.xml.xz: needs 65 MiB of memory to decompress, more than the 32 MiB"
                    + " kubeha allows (it was compressed with xz -8 or -9; createrepo_c's own xz needs 9 MiB)"), xz9);

            Repo.publish(server, key, true, "primary.xml.bz2", zst, xml);
            assertTrue(assertThrows(BundleException.class, () -> repository(server).packages(Optional.empty()))
                    .getMessage().endsWith("-primary.xml.bz2: compressed in a way kubeha does not read (it reads .xml,"
                    + " .gz, .xz and .zst)"));
        }
    }

    @Test
    void metadataWithADoctypeIsRefusedAndRpmVersionsOrderAsRpmDoes() {
        byte[] entity = ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\">&x;</repomd>").getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(BundleException.class, () -> RpmRepository.primary(entity)).getMessage()
                .startsWith("repodata/repomd.xml: not repository metadata kubeha reads"));
        assertTrue(RpmVersion.compare("1.36.3-150500.1.10", "1.36.3-150500.1.9") > 0);
        assertTrue(RpmVersion.compare("1.10.0-1", "1.9.0-1") > 0);
        assertTrue(RpmVersion.compare("1.0~rc1-1", "1.0-1") < 0);
        assertEquals(0, RpmVersion.compare("1.02-1", "1.2-1"));
        assertTrue(RpmVersion.compare("1.0a-1", "1.0-1") > 0);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
