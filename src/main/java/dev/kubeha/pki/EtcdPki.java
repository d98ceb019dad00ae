package dev.kubeha.pki;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.model.Role;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.state.StateDir;
import dev.kubeha.validate.Problem;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/** The etcd PKI of one cluster: loaded from the state directory, created or reissued there as the spec needs. */
public final class EtcdPki {
    public static final String STATE_SUBDIR = "pki/etcd";
    /**
     * Test-only: when set to a number of days, the leaves issued by this load get that validity instead of
     * {@code etcd.certificateValidityDays}, so a lab test can make them expire soon. Never set it in production.
     */
    public static final String TEST_VALIDITY_DAYS_ENV = "KUBEHA_TEST_CERT_VALIDITY_DAYS";

    private final Map<String, Issued> issued;
    private final List<String> newlyIssued;
    private final List<Problem> warnings;
    private final Optional<EtcdctlCredentials> etcdctl;

    private record Issued(X509Certificate certificate, byte[] certificatePem, byte[] keyPem) {
    }

    private EtcdPki(Map<String, Issued> issued, List<String> newlyIssued, List<Problem> warnings,
                    Optional<EtcdctlCredentials> etcdctl) {
        this.issued = Map.copyOf(issued);
        this.newlyIssued = List.copyOf(newlyIssued);
        this.warnings = List.copyOf(warnings);
        this.etcdctl = etcdctl;
    }

    public static EtcdPki loadOrCreate(StateDir state, ClusterSpec spec) {
        return load(state, spec, Clock.systemUTC(), new SecureRandom(), Duration.ZERO, testValidity(System.getenv()));
    }

    /**
     * Like {@link #loadOrCreate(StateDir, ClusterSpec)}, and also reissues every leaf that expires within
     * {@code within} of now (a renewal: the CA stays, and the old leaves stay valid on the hosts until replaced).
     */
    public static EtcdPki renew(StateDir state, ClusterSpec spec, Duration within) {
        return load(state, spec, Clock.systemUTC(), new SecureRandom(), within, testValidity(System.getenv()));
    }

    /** The same with a clock, a random source and the test-only validity override given. */
    public static EtcdPki renew(StateDir state, ClusterSpec spec, Duration within, Clock clock, SecureRandom random,
                                Optional<Duration> testValidity) {
        return load(state, spec, clock, random, within, testValidity);
    }

    /** The test-only leaf validity of {@link #TEST_VALIDITY_DAYS_ENV}, when the environment sets it. */
    static Optional<Duration> testValidity(Map<String, String> env) {
        String days = env.get(TEST_VALIDITY_DAYS_ENV);
        if (days == null || days.isBlank()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(days.strip());
            if (value < 1) {
                throw new NumberFormatException();
            }
            return Optional.of(Duration.ofDays(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TEST_VALIDITY_DAYS_ENV + " must be a number of days, not " + days);
        }
    }

    /**
     * Loads every certificate the spec needs from the state directory; creates the CA and any missing leaf, and
     * reissues a leaf that no longer matches the spec (names, addresses, usages, key type) or no longer verifies.
     */
    public static EtcdPki loadOrCreate(StateDir state, ClusterSpec spec, Clock clock, SecureRandom random) {
        return load(state, spec, clock, random, Duration.ZERO, Optional.empty());
    }

    private static EtcdPki load(StateDir state, ClusterSpec spec, Clock clock, SecureRandom random,
                                Duration renewWithin, Optional<Duration> testValidity) {
        List<CertificateRequest> requests = EtcdCertificates.requests(spec);
        if (requests.isEmpty()) {
            return new EtcdPki(Map.of(), List.of(), List.of(), Optional.empty());
        }
        Path dir = state.subdir(STATE_SUBDIR);
        Instant now = clock.instant();
        KeyAlgorithm algorithm = spec.etcd().keyAlgorithm();
        Map<String, Issued> issued = new LinkedHashMap<>();
        List<String> fresh = new ArrayList<>();
        List<String> clamped = new ArrayList<>();

        CertificateRequest caRequest = requests.get(0);
        Path caCertFile = certFile(dir, caRequest);
        Path caKeyFile = keyFile(dir, caRequest);
        CaStore.Ca loaded = CaStore.loadOrCreate(state, caCertFile, caKeyFile, caRequest, algorithm, "etcd CA", now,
                random);
        X509Certificate ca = loaded.certificate();
        PrivateKey caKey = loaded.key();
        if (loaded.fresh()) {
            fresh.add(caRequest.name());
        }
        issued.put(caRequest.name(), new Issued(ca, loaded.certificatePem(), null));

        for (CertificateRequest request : requests.subList(1, requests.size())) {
            Path certFile = certFile(dir, request);
            Path keyFile = keyFile(dir, request);
            state.subdir(state.root().relativize(certFile.getParent()).toString());
            Optional<byte[]> certPem = state.readPrivate(certFile);
            Optional<byte[]> keyPem = state.readPrivate(keyFile);
            X509Certificate cert = certPem.map(Pem::parseCertificate).orElse(null);
            PrivateKey key = keyPem.map(Pem::parsePrivateKey).orElse(null);
            if (!current(cert, key, request, ca, algorithm, now, random)
                    || cert.getNotAfter().toInstant().isBefore(now.plus(renewWithin))) {
                if (testValidity.isPresent()) {
                    request = request.withValidity(testValidity.get());
                }
                KeyPair keys = Crypto.generate(algorithm, random);
                cert = Issuer.leaf(request, keys.getPublic(), ca, caKey, now, random);
                keyPem = Optional.of(Pem.privateKey(keys.getPrivate()));
                certPem = Optional.of(Pem.certificate(cert));
                state.writePrivate(keyFile, keyPem.get());
                state.writePrivate(certFile, certPem.get());
                fresh.add(request.name());
                if (Issuer.outlivesCa(request, ca, now)) {
                    clamped.add(request.name());
                }
            }
            issued.put(request.name(), new Issued(cert, certPem.get(), keyPem.get()));
        }
        List<Problem> warnings = clamped.isEmpty() ? List.of() : List.of(Problem.warning(
                "etcd.certificateValidityDays", "the etcd CA expires on " + ca.getNotAfter().toInstant()
                        + ", before " + spec.etcd().certificateValidityDays() + " days from now: "
                        + String.join(", ", clamped) + " expire with it instead; create a new etcd CA before then"));
        CertificateRequest etcdctl = EtcdCertificates.ETCDCTL_CLIENT.request(spec, null);
        return new EtcdPki(issued, fresh, warnings, Optional.of(
                new EtcdctlCredentials(caCertFile, certFile(dir, etcdctl), keyFile(dir, etcdctl))));
    }

    /** What the operator should know about this load, e.g. certificates cut short to their CA's expiry. */
    public List<Problem> warnings() {
        return warnings;
    }

    /** Names of the certificates this load created or reissued, e.g. {@code etcd-server/ceph1}; empty on a reuse. */
    public List<String> newlyIssued() {
        return newlyIssued;
    }

    /** A loaded certificate by name, e.g. {@code etcd-ca}, {@code etcd-peer/ceph2}, {@code apiserver-etcd-client}. */
    public Optional<X509Certificate> certificate(String name) {
        return Optional.ofNullable(issued.get(name)).map(Issued::certificate);
    }

    /** Every certificate of this PKI in the state directory, CA first, with its expiry. */
    public List<CertificateExpiry> expiries() {
        List<CertificateExpiry> out = new ArrayList<>();
        issued.forEach((name, pair) -> out.add(CertificateExpiry.of(name, "state", pair.certificate(),
                pair.keyPem() == null)));
        out.sort(Comparator.comparing((CertificateExpiry e) -> !e.ca()).thenComparing(CertificateExpiry::name));
        return out;
    }

    /** The operator's etcdctl credentials in the state directory; empty for stacked etcd. */
    public Optional<EtcdctlCredentials> etcdctlCredentials() {
        return etcdctl;
    }

    /**
     * The certificate files every host gets, as the table places them: etcd members their CA, server and peer pairs
     * in {@code etcd.certDir}, owned by the etcd user; control planes the CA and the apiserver's client pair; nothing
     * for stacked etcd. A CA's key never leaves the state directory.
     */
    public List<RenderedFile> hostFiles(ClusterSpec spec) {
        if (spec.stackedEtcd()) {
            return List.of();
        }
        List<RenderedFile> files = new ArrayList<>();
        for (HostSpec host : spec.hosts()) {
            for (Role role : List.of(Role.ETCD, Role.CONTROL_PLANE)) {
                if (!host.has(role)) {
                    continue;
                }
                for (CertificateTemplate row : EtcdCertificates.TABLE) {
                    for (CertificateTemplate.Placement placement : row.placements()) {
                        if (placement.role() != role) {
                            continue;
                        }
                        Issued pair = require(row.request(spec, row.perMember() ? host : null).name());
                        files.add(new RenderedFile(host.name(), placement.certificatePath().apply(spec), 0644,
                                placement.owner(), pair.certificatePem()));
                        if (!row.isCa()) {
                            files.add(new RenderedFile(host.name(), placement.keyPath(spec), 0600, placement.owner(),
                                    pair.keyPem()));
                        }
                    }
                }
            }
        }
        return files;
    }

    private Issued require(String name) {
        Issued found = issued.get(name);
        if (found == null) {
            throw new IllegalArgumentException("the etcd PKI has no certificate " + name
                    + "; load it with EtcdPki.loadOrCreate for this spec first");
        }
        return found;
    }

    private static Path certFile(Path dir, CertificateRequest request) {
        return dir.resolve(request.stateFile() + ".pem");
    }

    private static Path keyFile(Path dir, CertificateRequest request) {
        return dir.resolve(request.stateFile() + "-key.pem");
    }

    private static boolean current(X509Certificate cert, PrivateKey key, CertificateRequest request,
                                   X509Certificate ca, KeyAlgorithm algorithm, Instant now, SecureRandom random) {
        if (cert == null || key == null || Crypto.algorithmOf(key) != algorithm
                || !Crypto.matches(key, cert.getPublicKey(), random)) {
            return false;
        }
        try {
            cert.verify(ca.getPublicKey(), Crypto.PROVIDER);
            cert.checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            return false;
        }
        Set<String> usages = new HashSet<>();
        request.usages().forEach(u -> usages.add(u.oid()));
        try {
            List<String> actual = cert.getExtendedKeyUsage();
            if (actual == null || !usages.equals(new HashSet<>(actual)) || actual.size() != usages.size()) {
                return false;
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        X500Principal expectedSubject = new X500Principal("CN=" + request.commonName());
        return cert.getSubjectX500Principal().equals(expectedSubject)
                && cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())
                && Issuer.altNames(cert).equals(request.altNames().generalNames());
    }
}
