package dev.kubeha.bundle;

import dev.kubeha.sources.Download;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * A flat apt repository (pkgs.k8s.io's {@code .../deb/}) read the way apt reads it: Release.key (checked against
 * the pin when there is one), Release verified by its detached signature Release.gpg, Packages checked against
 * Release's SHA-256; every .deb is then a {@link Download} with the SHA-256 Packages gives.
 */
public final class DebRepository {
    /** One package stanza, with the fields a download needs. */
    public record Package(String name, String version, String arch, String path, String sha256, long size,
                          List<String> depends) {
        public String fileName() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final RepositoryFiles files;
    private final URI base;

    /** @param base the repository's directory, ending in /, e.g. https://pkgs.k8s.io/core:/stable:/v1.36/deb/ */
    public DebRepository(HttpClient client, URI base) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.files = new RepositoryFiles(client, this.base);
    }

    public URI base() {
        return base;
    }

    /** Every package of the repository, after checking the signing key, Release's signature and Packages' SHA-256. */
    public List<Package> packages(Optional<String> pin) {
        PGPPublicKeyRingCollection keys = keys(files.get("Release.key"), pin);
        byte[] release = files.get("Release");
        verify(release, files.get("Release.gpg"), keys);
        Map<String, String[]> sums = sha256Section(new String(release, StandardCharsets.UTF_8));
        String[] plain = sums.get("Packages");
        String[] gz = sums.get("Packages.gz");
        byte[] packages;
        if (plain != null) {
            packages = files.checked("Packages", plain[0], Long.parseLong(plain[1]), "its signed Release");
        } else if (gz != null) {
            packages = RepositoryFiles.decompressed("Packages.gz", files.checked("Packages.gz", gz[0],
                    Long.parseLong(gz[1]), "its signed Release"));
        } else {
            throw new BundleException(files.url("Release") + ": lists no Packages file with a SHA-256");
        }
        return parse(new String(packages, StandardCharsets.UTF_8));
    }

    /**
     * kubelet, kubeadm and kubectl of the exact version for each architecture, and the newest of each package of
     * this repository they depend on (cri-tools, kubernetes-cni); other dependencies come from the hosts' mirrors.
     */
    public static List<Package> select(List<Package> all, List<String> names, String version, List<String> arches) {
        List<Package> out = new ArrayList<>();
        for (String arch : arches) {
            List<Package> wanted = new ArrayList<>();
            for (String name : names) {
                wanted.add(all.stream().filter(p -> p.name().equals(name) && p.arch().equals(arch)
                        && (p.version().equals(version) || p.version().startsWith(version + "-"))).max((a, b) ->
                        DebVersion.compare(a.version(), b.version())).orElseThrow(() -> new BundleException(
                        "the package repository has no " + name + " " + version + " for " + arch)));
            }
            for (int i = 0; i < wanted.size(); i++) {
                for (String dependency : wanted.get(i).depends()) {
                    boolean listed = wanted.stream().anyMatch(p -> p.name().equals(dependency));
                    Optional<Package> newest = all.stream().filter(p -> p.name().equals(dependency)
                                    && (p.arch().equals(arch) || p.arch().equals("all")))
                            .max((a, b) -> DebVersion.compare(a.version(), b.version()));
                    if (!listed && newest.isPresent()) {
                        wanted.add(newest.get());
                    }
                }
            }
            out.addAll(wanted);
        }
        return out;
    }

    /** The download of one package, checked against the SHA-256 the verified Packages file gives. */
    public Download download(Package p, String field) {
        try {
            return new Download("deb-" + p.arch(), p.version(), p.arch(), p.fileName(), base.resolve(p.path()),
                    Optional.of(p.sha256()), field);
        } catch (IllegalArgumentException e) {
            throw new BundleException("Packages: " + p.name() + ": " + e.getMessage());
        }
    }

    /** The repository's key, refused unless its primary key is the pinned one when a pin is given. */
    static PGPPublicKeyRingCollection keys(byte[] armored, Optional<String> pin) {
        return keys(armored, pin, "Release.key");
    }

    /** The same for a key published as {@code name} (an rpm repository's repodata/repomd.xml.key). */
    static PGPPublicKeyRingCollection keys(byte[] armored, Optional<String> pin, String name) {
        PGPPublicKeyRingCollection keys;
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
            keys = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        } catch (IOException | PGPException e) {
            throw new BundleException(name + ": not an OpenPGP public key: " + e.getMessage());
        }
        List<String> primaries = new ArrayList<>();
        for (PGPPublicKeyRing ring : keys) {
            primaries.add(HexFormat.of().withUpperCase().formatHex(ring.getPublicKey().getFingerprint()));
        }
        if (primaries.isEmpty()) {
            throw new BundleException(name + ": holds no public key");
        }
        if (pin.isPresent() && !List.of(pin.get()).equals(primaries)) {
            throw new BundleException(name + ": is " + String.join(" ", primaries) + ", not the pinned "
                    + pin.get() + " (cluster.signingKeyPin): it is not trusted");
        }
        return keys;
    }

    /** Checks a detached signature (armored or binary) over {@code data} by one of {@code keys}. */
    static void verify(byte[] data, byte[] signature, PGPPublicKeyRingCollection keys) {
        verify(data, signature, keys, "Release", "Release.gpg", "Release.key");
    }

    /** The same, naming the signed file, its signature and the key in messages. */
    static void verify(byte[] data, byte[] signature, PGPPublicKeyRingCollection keys, String dataName,
                       String signatureName, String keyName) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
            Object o = new JcaPGPObjectFactory(in).nextObject();
            if (!(o instanceof PGPSignatureList list) || list.isEmpty()) {
                throw new BundleException(signatureName + ": not an OpenPGP signature");
            }
            for (PGPSignature sig : list) {
                PGPPublicKey key = keys.getPublicKey(sig.getKeyID());
                if (key == null) {
                    continue;
                }
                sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                sig.update(data);
                if (sig.verify()) {
                    return;
                }
            }
        } catch (IOException | PGPException e) {
            throw new BundleException(signatureName + ": cannot check the signature: " + e.getMessage());
        }
        throw new BundleException(dataName + ": its signature " + signatureName + " is not a valid signature by "
                + keyName + "; the repository is not trusted");
    }

    /** Release's SHA256 section: file name to {sha256, size}. */
    static Map<String, String[]> sha256Section(String release) {
        Map<String, String[]> out = new LinkedHashMap<>();
        boolean in = false;
        for (String line : release.split("\n")) {
            if (!line.startsWith(" ")) {
                in = line.startsWith("SHA256:");
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (in && f.length == 3) {
                out.put(f[2], new String[] {f[0].toLowerCase(Locale.ROOT), f[1]});
            }
        }
        return out;
    }

    static List<Package> parse(String packages) {
        List<Package> out = new ArrayList<>();
        for (String stanza : packages.split("\n\n")) {
            Map<String, String> f = new TreeMap<>();
            String last = null;
            for (String line : stanza.split("\n")) {
                if (line.startsWith(" ") && last != null) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    last = line.substring(0, colon);
                    f.put(last, line.substring(colon + 1).trim());
                }
            }
            if (!f.containsKey("Package")) {
                continue;
            }
            String fileName = f.getOrDefault("Filename", "").replaceFirst("^\\./", "");
            if (!BundleItem.plainPath(fileName) || !fileName.endsWith(".deb")
                    || !f.getOrDefault("SHA256", "").matches("[0-9a-f]{64}")) {
                throw new BundleException("Packages: " + f.get("Package") + " has no plain Filename or SHA256");
            }
            List<String> depends = new ArrayList<>();
            for (String d : f.getOrDefault("Depends", "").split(",")) {
                String name = d.trim().split("[\\s(|:]")[0];
                if (!name.isEmpty()) {
                    depends.add(name);
                }
            }
            out.add(new Package(f.get("Package"), f.getOrDefault("Version", ""), f.getOrDefault("Architecture", ""),
                    fileName, f.get("SHA256"), Long.parseLong(f.getOrDefault("Size", "0")), depends));
        }
        return out;
    }
}
