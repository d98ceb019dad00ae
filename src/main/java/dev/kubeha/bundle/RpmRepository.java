package dev.kubeha.bundle;

import dev.kubeha.sources.Download;
import dev.kubeha.sources.SourceCache;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * An rpm repository (pkgs.k8s.io's {@code .../rpm/}) read the way dnf reads it: repodata/repomd.xml.key (checked
 * against the pin when there is one), repomd.xml verified by its detached signature repomd.xml.asc, the primary
 * metadata (.xml, .gz, .xz or .zst) checked against repomd.xml's SHA-256 and, uncompressed, its open-checksum; every
 * .rpm is then a {@link Download} with the SHA-256 primary gives.
 */
public final class RpmRepository {
    /** One package of the primary metadata, with the fields a download needs; arch as rpm names it. */
    public record Package(String name, String version, String release, String arch, String path, String sha256,
                          long size, List<String> requires) {
        public String fileName() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        /** VERSION-RELEASE, as dnf and the bundle manifest show it. */
        public String fullVersion() {
            return version + "-" + release;
        }
    }

    /**
     * Where repomd.xml says the primary metadata is, the SHA-256 and size of that (compressed) file, and of its
     * uncompressed content (open-checksum, open-size); empty or -1 when not given.
     */
    record Primary(String href, String sha256, long size, String openSha256, long openSize) {
    }

    static final String KEY = "repodata/repomd.xml.key";
    static final String REPOMD = "repodata/repomd.xml";
    static final String SIGNATURE = "repodata/repomd.xml.asc";
    private static final String COMMON = "http://linux.duke.edu/metadata/common";
    private static final String RPM = "http://linux.duke.edu/metadata/rpm";
    private static final String REPO = "http://linux.duke.edu/metadata/repo";
    private static final Map<String, String> RPM_ARCH = Map.of("amd64", "x86_64", "arm64", "aarch64");
    private final RepositoryFiles files;
    private final URI base;

    /** @param base the repository's directory, ending in /, e.g. https://pkgs.k8s.io/core:/stable:/v1.36/rpm/ */
    public RpmRepository(HttpClient client, URI base) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.files = new RepositoryFiles(client, this.base);
    }

    /** Every package of the repository, after checking the signing key, repomd.xml's signature and primary's SHA-256. */
    public List<Package> packages(Optional<String> pin) {
        PGPPublicKeyRingCollection keys = DebRepository.keys(files.get(KEY), pin, KEY);
        byte[] repomd = files.get(REPOMD);
        DebRepository.verify(repomd, files.get(SIGNATURE), keys, REPOMD, SIGNATURE, KEY);
        Primary primary = primary(repomd);
        byte[] body = files.checked(primary.href(), primary.sha256(), primary.size(), "its signed repomd.xml");
        byte[] xml = RepositoryFiles.decompressed(files.url(primary.href()).toString(), body);
        String open = HexFormat.of().formatHex(SourceCache.digest().digest(xml));
        if (!primary.openSha256().isEmpty() && !open.equals(primary.openSha256())
                || primary.openSize() >= 0 && xml.length != primary.openSize()) {
            throw new BundleException(files.url(primary.href()) + ": uncompressed, SHA-256 " + open + " ("
                    + xml.length + " bytes) is not the open-checksum " + primary.openSha256()
                    + (primary.openSize() >= 0 ? " (" + primary.openSize() + " bytes)" : "") + " its signed"
                    + " repomd.xml gives; the mirror is inconsistent or tampered with");
        }
        return parse(xml);
    }

    /** The rpm architecture of a Debian-style one (amd64: x86_64, arm64: aarch64). */
    public static String rpmArch(String arch) {
        String rpm = RPM_ARCH.get(arch);
        if (rpm == null) {
            throw new BundleException("no rpm architecture for '" + arch + "'; kubeha bundles amd64 and arm64");
        }
        return rpm;
    }

    /**
     * kubelet, kubeadm and kubectl of the exact version (newest release of it) for each architecture, and the newest
     * of each package of this repository they require (cri-tools, kubernetes-cni); the rest comes from the hosts'
     * mirrors.
     */
    public static List<Package> select(List<Package> all, List<String> names, String version, List<String> arches) {
        List<Package> out = new ArrayList<>();
        for (String arch : arches) {
            String rpmArch = rpmArch(arch);
            List<Package> wanted = new ArrayList<>();
            for (String name : names) {
                wanted.add(newest(all, name, rpmArch, p -> p.version().equals(version)).orElseThrow(() ->
                        new BundleException("the package repository has no " + name + " " + version + " for "
                                + rpmArch)));
            }
            for (int i = 0; i < wanted.size(); i++) {
                for (String requirement : wanted.get(i).requires()) {
                    if (wanted.stream().noneMatch(p -> p.name().equals(requirement))) {
                        newest(all, requirement, rpmArch, p -> true).ifPresent(wanted::add);
                    }
                }
            }
            out.addAll(wanted);
        }
        return out;
    }

    private static Optional<Package> newest(List<Package> all, String name, String rpmArch,
                                            Predicate<Package> version) {
        return all.stream().filter(p -> p.name().equals(name) && (p.arch().equals(rpmArch)
                        || p.arch().equals("noarch")) && version.test(p))
                .max((a, b) -> RpmVersion.compare(a.fullVersion(), b.fullVersion()));
    }

    /** The download of one package, checked against the SHA-256 the verified primary metadata gives. */
    public Download download(Package p, String arch, String field) {
        try {
            return new Download("rpm-" + arch, p.fullVersion(), arch, p.fileName(), base.resolve(p.path()),
                    Optional.of(p.sha256()), field);
        } catch (IllegalArgumentException e) {
            throw new BundleException("primary: " + p.name() + ": " + e.getMessage());
        }
    }

    /** The primary metadata's location and checksum in a (verified) repomd.xml. */
    static Primary primary(byte[] repomd) {
        Document doc = xml(REPOMD, repomd);
        for (Element data : children(doc.getDocumentElement(), REPO, "data")) {
            if (!"primary".equals(data.getAttribute("type"))) {
                continue;
            }
            String href = href(data, REPO);
            String sha = sha256(data, REPO, "checksum");
            String open = sha256(data, REPO, "open-checksum");
            if (!BundleItem.plainPath(href) || !sha.matches("[0-9a-f]{64}")
                    || !open.isEmpty() && !open.matches("[0-9a-f]{64}")) {
                throw new BundleException(REPOMD + ": the primary metadata has no plain location or no SHA-256");
            }
            return new Primary(href, sha, size(data, "size"), open, size(data, "open-size"));
        }
        throw new BundleException(REPOMD + ": names no primary metadata");
    }

    static List<Package> parse(byte[] primary) {
        Document doc = xml("primary", primary);
        List<Package> out = new ArrayList<>();
        for (Element p : children(doc.getDocumentElement(), COMMON, "package")) {
            if (!"rpm".equals(p.getAttribute("type"))) {
                continue;
            }
            String name = text(p, "name");
            Element version = child(p, COMMON, "version");
            Element size = child(p, COMMON, "size");
            String href = href(p, COMMON);
            String sha = sha256(p, COMMON, "checksum");
            if (version == null || !BundleItem.plainPath(href) || !href.endsWith(".rpm")
                    || !sha.matches("[0-9a-f]{64}")) {
                throw new BundleException("primary: " + name + " has no version, plain location or SHA-256");
            }
            List<String> requires = new ArrayList<>();
            Element format = child(p, COMMON, "format");
            Element req = format == null ? null : child(format, RPM, "requires");
            if (req != null) {
                for (Element entry : children(req, RPM, "entry")) {
                    requires.add(entry.getAttribute("name"));
                }
            }
            out.add(new Package(name, version.getAttribute("ver"), version.getAttribute("rel"), text(p, "arch"),
                    href, sha, size == null || size.getAttribute("package").isEmpty() ? 0
                    : number("primary", size.getAttribute("package")), requires));
        }
        return out;
    }

    private static String href(Element parent, String namespace) {
        Element location = child(parent, namespace, "location");
        return location == null ? "" : location.getAttribute("href");
    }

    /** A size element of repomd.xml's data, -1 when absent. */
    private static long size(Element data, String name) {
        Element size = child(data, REPO, name);
        return size == null ? -1 : number(REPOMD, size.getTextContent());
    }

    /** The element's sha256 checksum (checksum or open-checksum), empty when it has none of that type. */
    private static String sha256(Element parent, String namespace, String element) {
        Element checksum = child(parent, namespace, element);
        return checksum == null || !"sha256".equals(checksum.getAttribute("type")) ? ""
                : checksum.getTextContent().trim();
    }

    private static long number(String file, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new BundleException(file + ": '" + text.trim() + "' is not a size");
        }
    }

    /** Parses without DTDs or external entities: repository metadata is data from the network. */
    private static Document xml(String name, byte[] content) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            factory.setXIncludeAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(content));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new BundleException(name + ": not repository metadata kubeha reads: " + e.getMessage());
        }
    }

    private static List<Element> children(Element parent, String namespace, String local) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && local.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String namespace, String local) {
        List<Element> found = children(parent, namespace, local);
        return found.isEmpty() ? null : found.getFirst();
    }

    private static String text(Element parent, String local) {
        Element e = child(parent, COMMON, local);
        return e == null ? "" : e.getTextContent().trim();
    }
}
