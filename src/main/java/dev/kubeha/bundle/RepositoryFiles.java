package dev.kubeha.bundle;

import dev.kubeha.sources.SourceCache;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.XZInputStream;

/** A package repository's metadata files, fetched whole (at most 64 MiB each) and checked against signed checksums. */
record RepositoryFiles(HttpClient client, URI base) {
    static final long METADATA_LIMIT = 64L << 20;
    /**
     * The most memory an .xz may ask for, in KiB: XZ for Java allocates the whole dictionary the file declares, and
     * kubeha's heap is 64 MiB; createrepo_c's xz needs 9 MiB (xz -6), xz -8 and -9 need 33 and 65 MiB.
     */
    static final int XZ_MEMORY_LIMIT_KIB = 32 << 10;

    byte[] get(String name) {
        URI url = url(name);
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new BundleException("cannot download " + url + ": HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes((int) METADATA_LIMIT + 1);
                if (bytes.length > METADATA_LIMIT) {
                    throw new BundleException(url + ": larger than " + (METADATA_LIMIT >> 20) + " MiB");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new BundleException("cannot download " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while downloading " + url);
        }
    }

    /**
     * The file, refused unless it has the SHA-256 and size (-1: any) that {@code source}, a file already verified,
     * gives for it.
     */
    byte[] checked(String name, String sha256, long size, String source) {
        byte[] body = get(name);
        String actual = HexFormat.of().formatHex(SourceCache.digest().digest(body));
        if (!actual.equals(sha256) || size >= 0 && body.length != size) {
            throw new BundleException(url(name) + ": SHA-256 " + actual + " (" + body.length + " bytes) is not the "
                    + sha256 + (size >= 0 ? " (" + size + " bytes)" : "") + " " + source + " gives; the mirror is"
                    + " inconsistent or tampered with");
        }
        return body;
    }

    URI url(String name) {
        return base.resolve(name);
    }

    /**
     * A metadata file as its name's suffix says it is compressed (.gz, .xz, .zst, none for .xml), refused when it
     * holds more than {@link #METADATA_LIMIT} or is compressed another way.
     */
    static byte[] decompressed(String name, byte[] body) {
        if (name.endsWith(".xml")) {
            return body;
        }
        if (!name.endsWith(".gz") && !name.endsWith(".xz") && !name.endsWith(".zst")) {
            throw new BundleException(name + ": compressed in a way kubeha does not read (it reads .xml, .gz, .xz"
                    + " and .zst)");
        }
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(bytes)
                : name.endsWith(".xz") ? new XZInputStream(bytes, XZ_MEMORY_LIMIT_KIB) : new ZstdInputStream(bytes)) {
            byte[] out = in.readNBytes((int) METADATA_LIMIT + 1);
            if (out.length > METADATA_LIMIT) {
                throw new BundleException(name + ": larger than " + (METADATA_LIMIT >> 20) + " MiB uncompressed");
            }
            return out;
        } catch (MemoryLimitException e) {
            throw new BundleException(name + ": needs " + (e.getMemoryNeeded() + 1023) / 1024 + " MiB of memory to"
                    + " decompress, more than the " + (XZ_MEMORY_LIMIT_KIB >> 10) + " MiB kubeha allows (it was"
                    + " compressed with xz -8 or -9; createrepo_c's own xz needs 9 MiB)");
        } catch (IOException | MalformedInputException e) {
            throw new BundleException(name + ": cannot decompress it: " + e.getMessage());
        }
    }
}
