package dev.kubeha.sources;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one way kubeha fetches a file: from the cache when its SHA-256 matches, else over HTTP(S) into a .part file
 * that a cut connection resumes (HTTP Range), or from the operator's copy on the jump host, checked against the
 * expected SHA-256 before it enters the cache.
 */
public final class Downloader {
    private static final Duration REPORT_EVERY = Duration.ofMillis(250);
    private final Supplier<HttpClient> newClient;
    private final Clock clock;
    private final int attempts;
    private final Duration pause;
    private HttpClient client;

    public Downloader(HttpClient client, Clock clock, int attempts, Duration pause) {
        this(() -> client, clock, attempts, pause);
    }

    /**
     * A downloader that builds its HTTP client on its first request: a run whose files are all cached or local never
     * builds one (building one loads the JDK's HTTP and TLS stack and its trusted certificates: 0.4-0.6 s of a cold
     * start).
     */
    public Downloader(Supplier<HttpClient> newClient, Clock clock, int attempts, Duration pause) {
        this.newClient = newClient;
        this.clock = clock;
        this.attempts = attempts;
        this.pause = pause;
    }

    /** Follows redirects (GitHub release assets redirect to their storage); three attempts, two seconds apart. */
    public static Downloader overHttp(Clock clock) {
        return new Downloader(() -> HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build(), clock, 3, Duration.ofSeconds(2));
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = newClient.get();
        }
        return client;
    }

    /**
     * The verified file in the cache, downloaded only when the cache lacks it or holds a damaged copy. Runs of
     * kubeha for other clusters that want the same file wait for this one (a lock file beside it).
     */
    public Path fetch(Download d, SourceCache cache, TransferListener listener) {
        Optional<Path> hit = cache.verified(d);
        if (hit.isPresent()) {
            return cached(d, hit.get(), listener);
        }
        if (d.local()) {
            Path file = Path.of(d.url());
            if (!Files.isRegularFile(file)) {
                throw new SourceException(d.field() + ": " + file + " is not a file on this jump host");
            }
            Path adopted = cache.adopt(d, file);
            long size = size(adopted);
            listener.progress(new Transfer(d, Transfer.State.DONE, size, size, 0, Duration.ZERO));
            return adopted;
        }
        Path lock;
        try {
            lock = cache.directoryFor(d).resolve(d.fileName() + ".lock");
        } catch (IOException e) {
            throw new SourceException(cache.dir() + ": cannot create the download cache: " + e.getMessage());
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = exclusive(channel)) {
            Optional<Path> meanwhile = cache.verified(d);
            return meanwhile.isPresent() ? cached(d, meanwhile.get(), listener) : download(d, cache, listener);
        } catch (IOException e) {
            throw new SourceException(lock + ": cannot lock the download: " + e.getMessage());
        }
    }

    /** Waits for the lock, whether another process or another thread of this one holds it. */
    private static FileLock exclusive(FileChannel channel) throws IOException {
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new SourceException("interrupted while waiting for another download of the same file");
                }
            }
        }
    }

    private static Path cached(Download d, Path file, TransferListener listener) {
        long size = size(file);
        listener.progress(new Transfer(d, Transfer.State.CACHED, size, size, size, Duration.ZERO));
        return file;
    }

    private Path download(Download d, SourceCache cache, TransferListener listener) {
        Path part = cache.part(d);
        String failure = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                sleep();
            }
            long resumedFrom;
            try {
                resumedFrom = receive(d, part, listener);
            } catch (IOException e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                continue;
            }
            String actual = SourceCache.sha256(part);
            Optional<String> expected = cache.expected(d);
            if (expected.isPresent() && !expected.get().equals(actual)) {
                delete(part);
                if (resumedFrom > 0) {
                    failure = "the resumed download did not match its SHA-256";
                    continue;
                }
                throw new SourceException(d.url() + ": SHA-256 is " + actual + ", but " + source(d) + " says "
                        + expected.get() + "; the download is damaged or not the release it claims to be, and was"
                        + " deleted. If the mirror is right, download the file yourself, check it and "
                        + d.instead("it"));
            }
            return keep(d, cache, part, actual, listener);
        }
        throw new SourceException("cannot download " + d.url() + " (" + attempts + " attempts): " + failure
                + "; without internet access on this jump host, download it elsewhere and "
                + d.instead("the file"));
    }

    /** Downloads into {@code part}, resuming what it holds; returns the byte count it resumed from. */
    private long receive(Download d, Path part, TransferListener listener) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(d.url()).timeout(Duration.ofSeconds(60)).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while downloading " + d.url());
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            boolean resume = have > 0 && status == 206 && response.headers().firstValue("Content-Range")
                    .filter(r -> r.startsWith("bytes " + have + "-")).isPresent();
            if (have > 0 && status == 416) {
                return have;
            }
            if (status != 200 && !resume) {
                if (status == 206) {
                    delete(part);
                    throw new IOException("the server answered the range request with another range");
                }
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    throw new SourceException("cannot download " + d.url() + ": HTTP " + status + "; "
                            + d.instead("a local copy") + ", or check the version");
                }
                throw new IOException("HTTP " + status);
            }
            long from = resume ? have : 0;
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long total = length < 0 ? -1 : from + length;
            Instant start = clock.instant();
            Instant reported = start;
            long received = from;
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    resume ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    received += n;
                    Instant now = clock.instant();
                    if (Duration.between(reported, now).compareTo(REPORT_EVERY) >= 0) {
                        reported = now;
                        listener.progress(new Transfer(d, Transfer.State.RUNNING, received, total, from,
                                Duration.between(start, now)));
                    }
                }
            }
            if (total >= 0 && received != total) {
                throw new IOException("the connection ended after " + received + " of " + total + " bytes");
            }
            listener.progress(new Transfer(d, Transfer.State.RUNNING, received, total, from,
                    Duration.between(start, clock.instant())));
            return from;
        }
    }

    private Path keep(Download d, SourceCache cache, Path part, String actual, TransferListener listener) {
        Path target;
        try {
            target = cache.store(d, part, actual);
        } catch (IOException e) {
            throw new SourceException(cache.path(d) + ": cannot store the download: " + e.getMessage());
        }
        long size = size(target);
        listener.progress(new Transfer(d, Transfer.State.DONE, size, size, 0, Duration.ZERO));
        return target;
    }

    private static String source(Download d) {
        return d.sha256().isPresent() ? "the published checksum kubeha expects"
                : "the SHA-256 recorded on its first download";
    }

    private void sleep() {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while waiting to download again");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new SourceException(file + ": cannot read it: " + e.getMessage());
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new SourceException(file + ": cannot remove it: " + e.getMessage());
        }
    }
}
