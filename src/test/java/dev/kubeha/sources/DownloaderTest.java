package dev.kubeha.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.RuntimeArchive;
import dev.kubeha.model.RuntimeArchives;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.ReleaseServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one download path against a release site on 127.0.0.1: cache, checksums, resume, refusals. */
class DownloaderTest {
    static final String UNLISTED = "3.7.0";

    @TempDir
    Path dir;

    ReleaseServer server;
    SourceCache cache;
    final Downloader downloader = new Downloader(HttpClient.newHttpClient(), Clock.systemUTC(), 3, Duration.ZERO);
    final List<Transfer> seen = new ArrayList<>();
    final byte[] archive = new byte[300_000];

    @BeforeEach
    void start() throws IOException {
        server = new ReleaseServer();
        cache = SourceCache.sharedBy(dir.resolve("state").resolve("kubernetes"));
        new Random(7).nextBytes(archive);
        server.put("/etcd/v" + UNLISTED + "/etcd-v" + UNLISTED + "-linux-amd64.tar.gz", archive);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** etcd with an operator-given SHA-256, on the test's site: the guide's members run amd64. */
    Download etcd(String sha256) {
        ClusterSpec spec = GuideSpecs.withEtcd(GuideSpecs.guide(), etcdSpec(UNLISTED, sha256));
        return Releases.of(Releases.needed(spec, arches(spec, "amd64"), Set.of(), ReleaseSites.under(server.base())),
                Releases.ETCD).getFirst();
    }

    static EtcdSpec etcdSpec(String version, String sha256) {
        EtcdSpec d = EtcdSpec.DEFAULTS;
        return new EtcdSpec(version, d.dataDir(), d.certDir(), d.keyAlgorithm(), d.certificateValidityDays(),
                d.install(), "", sha256);
    }

    static Map<String, String> arches(ClusterSpec spec, String arch) {
        Map<String, String> out = new LinkedHashMap<>();
        spec.hosts().forEach(h -> out.put(h.name(), arch));
        return out;
    }

    @Test
    void theFirstFetchDownloadsAndVerifiesLaterOnesComeFromTheCacheWithoutARequest() throws IOException {
        Download d = etcd(RenderedFile.sha256(archive));
        Path file = downloader.fetch(d, cache, seen::add);
        assertEquals(dir.resolve("state/cache/etcd/etcd-v3.7.0-linux-amd64.tar.gz"), file);
        assertArrayEquals(archive, Files.readAllBytes(file));
        assertEquals(1, server.requests().size());
        assertEquals(Transfer.State.DONE, seen.getLast().state());
        assertEquals(archive.length, seen.getLast().received());
        assertFalse(Files.exists(file.resolveSibling(file.getFileName() + ".part")));

        seen.clear();
        assertEquals(file, downloader.fetch(d, cache, seen::add));
        assertEquals(1, server.requests().size(), "a verified cache entry is used without asking the server");
        assertEquals(List.of(Transfer.State.CACHED), seen.stream().map(Transfer::state).toList());
    }

    @Test
    void anHttpClientIsBuiltOnlyForTheFirstRequestNeverForALocalOrCachedFile() throws IOException {
        AtomicInteger built = new AtomicInteger();
        Downloader lazy = new Downloader(() -> {
            built.incrementAndGet();
            return HttpClient.newHttpClient();
        }, Clock.systemUTC(), 3, Duration.ZERO);
        Path local = Files.write(dir.resolve("my-containerd.tar.gz"), archive);
        ClusterSpec spec = GuideSpecs.withRuntimeArchives(GuideSpecs.guide(), new RuntimeArchives(
                new RuntimeArchive("2.1.9", local.toString(), RenderedFile.sha256(archive)), RuntimeArchive.PINNED,
                RuntimeArchive.PINNED));
        lazy.fetch(Releases.runtime(spec, List.of("amd64"), ReleaseSites.under(server.base())).getFirst(), cache,
                seen::add);
        assertEquals(0, built.get(), "a local file needs no HTTP client");

        Download d = etcd(RenderedFile.sha256(archive));
        lazy.fetch(d, cache, seen::add);
        assertEquals(1, built.get());
        assertEquals(1, server.requests().size());
        server.put("/flannel/v0.28.9/kube-flannel.yml", "manifest".getBytes(StandardCharsets.UTF_8));
        lazy.fetch(Releases.flannel("v0.28.9", ReleaseSites.under(server.base())), cache, seen::add);
        assertEquals(1, built.get(), "later requests reuse the client");

        Downloader cachedOnly = new Downloader(() -> {
            built.incrementAndGet();
            return HttpClient.newHttpClient();
        }, Clock.systemUTC(), 3, Duration.ZERO);
        cachedOnly.fetch(d, cache, seen::add);
        assertEquals(1, built.get(), "a verified cache entry needs no HTTP client");
    }

    @Test
    void aCorruptedCacheEntryIsDeletedAndFetchedAgain() throws IOException {
        Download d = etcd(RenderedFile.sha256(archive));
        Path file = cache.path(d);
        Files.createDirectories(file.getParent());
        Files.write(file, "flipped".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Optional.empty(), cache.verified(d));
        assertFalse(Files.exists(file), "the damaged entry is removed");
        Files.write(file, "flipped again".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(archive, Files.readAllBytes(downloader.fetch(d, cache, seen::add)));
        assertEquals(1, server.requests().size());
    }

    @Test
    void aCutConnectionIsResumedWithARangeRequestAndTheWholeFileVerified() throws IOException {
        Download d = etcd(RenderedFile.sha256(archive));
        server.cutNextAfter(100_000);
        Path file = downloader.fetch(d, cache, seen::add);
        assertArrayEquals(archive, Files.readAllBytes(file));
        List<ReleaseServer.Request> requests = server.requests();
        assertEquals(2, requests.size(), requests.toString());
        assertEquals("", requests.get(0).range());
        assertTrue(requests.get(1).range().matches("bytes=\\d+-"), requests.toString());
        long resumedAt = Long.parseLong(requests.get(1).range().replaceAll("\\D", ""));
        assertTrue(resumedAt > 0 && resumedAt <= 100_000, "resumed at " + resumedAt);
        assertTrue(seen.stream().anyMatch(t -> t.resumedFrom() == resumedAt), "progress reports the resume");
    }

    @Test
    void twoRunsWantingTheSameFileDownloadItOnce() throws Exception {
        Download d = etcd(RenderedFile.sha256(archive));
        CountDownLatch release = server.holdNext();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            var first = two.submit(() -> downloader.fetch(d, cache, TransferListener.NONE));
            while (server.requests().isEmpty()) {
                Thread.sleep(10);
            }
            var second = two.submit(() -> downloader.fetch(d, cache, TransferListener.NONE));
            Thread.sleep(300);
            release.countDown();
            assertEquals(first.get(), second.get());
        } finally {
            two.shutdown();
        }
        assertEquals(1, server.requests().size(), "the second run waited and took the cached file");
    }

    @Test
    void aWrongHashIsRefusedAndNothingIsKept() {
        String other = RenderedFile.sha256("another release".getBytes(StandardCharsets.US_ASCII));
        Download d = etcd(other);
        SourceException wrong = assertThrows(SourceException.class, () -> downloader.fetch(d, cache, seen::add));
        assertTrue(wrong.getMessage().startsWith(d.url() + ": SHA-256 is " + RenderedFile.sha256(archive)
                + ", but the published checksum kubeha expects says " + other), wrong.getMessage());
        assertFalse(Files.exists(cache.path(d)));
        assertFalse(Files.exists(cache.part(d)));
        assertEquals(1, server.requests().size(), "a complete, wrong download is not retried");
    }

    @Test
    void aVersionMissingFromTheTableIsRefusedNamingEtcdVersionAndTheFix() {
        ClusterSpec spec = GuideSpecs.withEtcd(GuideSpecs.guide(), etcdSpec(UNLISTED, ""));
        SourceException refused = assertThrows(SourceException.class,
                () -> Releases.needed(spec, arches(spec, "amd64"), Set.of(), ReleaseSites.under(server.base())));
        assertEquals("etcd.version: kubeha's checksum table has no SHA-256 for etcd 3.7.0"
                + " (etcd-v3.7.0-linux-amd64.tar.gz), so it does not download it. Choose a listed etcd.version"
                + " (3.5.24 to 3.6.14), or set etcd.archiveSha256 to the SHA-256 etcd publishes for"
                + " etcd-v3.7.0-linux-amd64.tar.gz (its release's SHA256SUMS), or download it yourself and set"
                + " etcd.archive to the file", refused.getMessage());
        assertEquals(List.of(), server.requests());
    }

    @Test
    void oneOperatorChecksumCannotCoverMembersOfTwoArchitectures() {
        ClusterSpec spec = GuideSpecs.withEtcd(GuideSpecs.guide(), etcdSpec(UNLISTED, RenderedFile.sha256(archive)));
        Map<String, String> mixed = arches(spec, "amd64");
        mixed.put("ceph3", "arm64");
        SourceException refused = assertThrows(SourceException.class,
                () -> Releases.needed(spec, mixed, Set.of(), ReleaseSites.UPSTREAM));
        assertTrue(refused.getMessage().startsWith("etcd.archiveSha256: is the checksum of one archive"),
                refused.getMessage());
    }

    @Test
    void aListedVersionGetsOneArchivePerArchitectureFromTheEtcdReleasePageWithTheTablesChecksum() {
        ClusterSpec spec = GuideSpecs.withEtcd(GuideSpecs.guide(), etcdSpec("3.6.9", ""));
        Map<String, String> mixed = arches(spec, "amd64");
        mixed.put("ceph2", "arm64");
        List<Download> etcd = Releases.of(Releases.needed(spec, mixed, Set.of(), ReleaseSites.UPSTREAM), Releases.ETCD);
        assertEquals(List.of("https://github.com/etcd-io/etcd/releases/download/v3.6.9/etcd-v3.6.9-linux-amd64.tar.gz",
                "https://github.com/etcd-io/etcd/releases/download/v3.6.9/etcd-v3.6.9-linux-arm64.tar.gz"),
                etcd.stream().map(d -> d.url().toString()).toList());
        assertEquals(List.of(Optional.of("633136f13fcadac52e5c0ddcb97912643af6fcb9cb362e75774d0f96f7666396"),
                Optional.of("b51e433724325b66770019c4819d091b8965d2e81c07571a46e0619da1c8ece6")),
                etcd.stream().map(Download::sha256).toList());
        assertEquals(List.of(), Releases.of(Releases.needed(spec, mixed, Set.of(), ReleaseSites.UPSTREAM), "etcd-amd64"));
    }

    @Test
    void containerdRuncAndCniPluginsForTheArchiveNodesAreCheckedAgainstTheTableAndMissingOnesNameTheirRemedy() {
        ClusterSpec guide = GuideSpecs.guide();
        List<Download> runtime = Releases.needed(guide, arches(guide, "arm64"), Set.of("worker2"),
                ReleaseSites.under(server.base())).stream().filter(d -> !d.component().equals(Releases.ETCD)
                && !d.component().equals(Releases.FLANNEL) && !d.component().equals(Releases.KUBE_PROMETHEUS)).toList();
        assertEquals(List.of(server.base() + "containerd/v2.3.4/containerd-2.3.4-linux-arm64.tar.gz",
                server.base() + "runc/v1.4.3/runc.arm64",
                server.base() + "cni-plugins/v1.9.1/cni-plugins-linux-arm64-v1.9.1.tgz"),
                runtime.stream().map(d -> d.url().toString()).toList());
        assertEquals(Optional.of("56171987d3947707c3563db2f4001bccaf50fd63468611b9f3cbecb1375ee7ec"),
                runtime.get(2).sha256(), "cni-plugins 1.9.1 arm64 from the table");
        assertEquals(Optional.of("a985fbb7e18fc0362d31a055338f5d7b0e087a3e27f14c70d1c5965399a29f95"),
                runtime.getFirst().sha256());
        server.put("/containerd/v2.3.4/containerd-2.3.4-linux-arm64.tar.gz", archive);
        SourceException wrong = assertThrows(SourceException.class,
                () -> downloader.fetch(runtime.getFirst(), cache, seen::add));
        assertTrue(wrong.getMessage().endsWith("download the file yourself, check it and set"
                + " containerRuntimeArchives.containerd.archive to it, serve it from a release mirror (--release-mirror"
                + " URL), or set containerRuntimeInstall: distribution"), wrong.getMessage());
        SourceException missing = assertThrows(SourceException.class,
                () -> downloader.fetch(runtime.get(1), cache, seen::add));
        assertEquals("cannot download " + server.base() + "runc/v1.4.3/runc.arm64: HTTP 404; set"
                + " containerRuntimeArchives.runc.archive to a local copy, serve it from a release mirror"
                + " (--release-mirror URL), or set containerRuntimeInstall: distribution, or check the version",
                missing.getMessage());
        assertEquals(List.of(), Releases.of(Releases.needed(guide, arches(guide, "amd64"), Set.of(),
                ReleaseSites.UPSTREAM), Releases.CONTAINERD), "no node installs containerd from its archive");
    }

    @Test
    void runtimeReleasesTheOperatorGivesAreFetchedFromTheMirrorAtTheirVersionAndCheckedAgainstTheirChecksum() {
        byte[] containerd = "containerd 2.1.9 repacked".getBytes(StandardCharsets.UTF_8);
        server.put("/containerd/v2.1.9/containerd-2.1.9-linux-amd64.tar.gz", containerd);
        ClusterSpec spec = GuideSpecs.withRuntimeArchives(GuideSpecs.guide(), new RuntimeArchives(
                new RuntimeArchive("2.1.9", "", RenderedFile.sha256(containerd)), new RuntimeArchive("1.3.6", "", ""),
                RuntimeArchive.PINNED));
        List<Download> runtime = Releases.runtime(spec, List.of("amd64"), ReleaseSites.under(server.base()));
        assertEquals(List.of(
                "containerd 2.1.9 " + server.base() + "containerd/v2.1.9/containerd-2.1.9-linux-amd64.tar.gz",
                "runc 1.3.6 " + server.base() + "runc/v1.3.6/runc.amd64",
                "cni-plugins 1.9.1 " + server.base() + "cni-plugins/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz"),
                runtime.stream().map(d -> d.component() + " " + d.version() + " " + d.url()).toList());
        assertEquals(Optional.of("3f3921dbbee7723e9868f97e88e51ffc910206e3ba55646e74d93d24ea76023c"),
                runtime.get(1).sha256(), "runc 1.3.6 without a given checksum: the table's");
        Path fetched = downloader.fetch(runtime.getFirst(), cache, seen::add);
        assertEquals(cache.dir().resolve("containerd/containerd-2.1.9-linux-amd64.tar.gz"), fetched);
        server.put("/containerd/v2.1.9/containerd-2.1.9-linux-amd64.tar.gz", archive);
        ClusterSpec other = GuideSpecs.withRuntimeArchives(GuideSpecs.guide(), new RuntimeArchives(
                new RuntimeArchive("2.1.9", "", RenderedFile.sha256(archive)), RuntimeArchive.PINNED,
                RuntimeArchive.PINNED));
        Download replaced = Releases.runtime(other, List.of("amd64"), ReleaseSites.under(server.base())).getFirst();
        assertEquals(fetched, downloader.fetch(replaced, cache, seen::add), "the cached copy no longer matches");
        assertEquals(RenderedFile.sha256(archive), SourceCache.sha256(fetched));
    }

    @Test
    void aRuntimeReleaseOnTheJumpHostEntersTheCacheOnlyWithItsChecksumAndNothingIsRequested() throws IOException {
        Path local = Files.write(dir.resolve("my-containerd.tar.gz"), archive);
        ClusterSpec spec = GuideSpecs.withRuntimeArchives(GuideSpecs.guide(), new RuntimeArchives(
                new RuntimeArchive("2.1.9", local.toString(), RenderedFile.sha256(archive)), RuntimeArchive.PINNED,
                RuntimeArchive.PINNED));
        Download d = Releases.runtime(spec, List.of("amd64"), ReleaseSites.under(server.base())).getFirst();
        assertTrue(d.local() && d.fileName().equals("containerd-2.1.9-linux-amd64.tar.gz"), d.toString());
        Path cached = downloader.fetch(d, cache, seen::add);
        assertArrayEquals(archive, Files.readAllBytes(cached));
        assertEquals(List.of(), server.requests());

        ClusterSpec wrong = GuideSpecs.withRuntimeArchives(GuideSpecs.guide(), new RuntimeArchives(
                new RuntimeArchive("2.1.8", local.toString(), "0".repeat(64)), RuntimeArchive.PINNED,
                RuntimeArchive.PINNED));
        Download mismatch = Releases.runtime(wrong, List.of("amd64"), ReleaseSites.UPSTREAM).getFirst();
        SourceException refused = assertThrows(SourceException.class, () -> downloader.fetch(mismatch, cache,
                seen::add));
        assertTrue(refused.getMessage().startsWith(local + ": SHA-256 is " + RenderedFile.sha256(archive)),
                refused.getMessage());
        assertFalse(Files.exists(cache.dir().resolve("containerd/containerd-2.1.8-linux-amd64.tar.gz")));

        Files.delete(local);
        Files.delete(cached);
        SourceException gone = assertThrows(SourceException.class, () -> downloader.fetch(d, cache, seen::add));
        assertEquals("containerRuntimeArchives.containerd.archive: " + local + " is not a file on this jump host",
                gone.getMessage());
    }

    @Test
    void aGivenRuntimeFileNamesOneArchitectureAndAnUnlistedVersionNeedsItsChecksum() {
        ClusterSpec local = GuideSpecs.withRuntimeArchives(GuideSpecs.guide(), new RuntimeArchives(
                RuntimeArchive.PINNED, new RuntimeArchive("1.3.6", "/srv/runc.amd64", ""), RuntimeArchive.PINNED));
        SourceException two = assertThrows(SourceException.class,
                () -> Releases.runtime(local, List.of("amd64", "arm64"), ReleaseSites.UPSTREAM));
        assertTrue(two.getMessage().startsWith("containerRuntimeArchives.runc.archive: names one file, but the"
                + " nodes that install containerd from its release run 2 architectures"), two.getMessage());
        ClusterSpec unlisted = GuideSpecs.withRuntimeArchives(GuideSpecs.guide(), new RuntimeArchives(
                RuntimeArchive.PINNED, RuntimeArchive.PINNED, new RuntimeArchive("1.8.0", "", "")));
        SourceException sha = assertThrows(SourceException.class,
                () -> Releases.runtime(unlisted, List.of("amd64"), ReleaseSites.UPSTREAM));
        assertEquals("containerRuntimeArchives.cniPlugins.version: kubeha's checksum table has no SHA-256 for"
                + " cni-plugins 1.8.0 (cni-plugins-linux-amd64-v1.8.0.tgz); set"
                + " containerRuntimeArchives.cniPlugins.archiveSha256 to the one its publisher released",
                sha.getMessage());
    }

    @Test
    void anEtcdArchiveOnTheJumpHostOrAPackageIsNotDownloaded() {
        ClusterSpec guide = GuideSpecs.guide();
        assertEquals(List.of(), Releases.of(Releases.needed(guide, arches(guide, "amd64"), Set.of(), ReleaseSites.UPSTREAM),
                Releases.ETCD), "guide.yaml names a local etcd.archive");
    }

    @Test
    void aMissingFileIsRefusedAtOnceNamingTheFieldForALocalCopy() {
        Download d = Releases.flannel("v0.0.1", ReleaseSites.under(server.base()));
        SourceException missing = assertThrows(SourceException.class, () -> downloader.fetch(d, cache, seen::add));
        assertEquals("cannot download " + d.url() + ": HTTP 404; set network.flannelManifest to a local copy, or"
                + " check the version", missing.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void aFileWithoutPublishedChecksumIsPinnedByItsFirstDownloadInTheSharedCache() throws IOException {
        Download d = Releases.flannel("v0.28.9", ReleaseSites.under(server.base()));
        assertEquals(Optional.empty(), d.sha256(), "flannel publishes no checksum for its manifest");
        server.put("/flannel/v0.28.9/kube-flannel.yml", "manifest one".getBytes(StandardCharsets.UTF_8));
        Path file = downloader.fetch(d, cache, seen::add);
        assertEquals("manifest one", Files.readString(file));
        assertEquals(Optional.of(RenderedFile.sha256("manifest one".getBytes(StandardCharsets.UTF_8))),
                cache.expected(d));

        Files.delete(file);
        server.put("/flannel/v0.28.9/kube-flannel.yml", "manifest two".getBytes(StandardCharsets.UTF_8));
        SourceException changed = assertThrows(SourceException.class, () -> downloader.fetch(d, cache, seen::add));
        assertTrue(changed.getMessage().contains("but the SHA-256 recorded on its first download says"),
                changed.getMessage());
        assertFalse(Files.exists(file));
    }
}
