package dev.kubeha.bundle;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Pulls one image for one platform through the OCI distribution API (Google's jib-core) and writes it as an image
 * archive (docker-archive layout, tagged with its reference) that {@code ctr images import} and {@code docker load}
 * take.
 *
 * @param layerCache where pulled layers are kept between images and runs
 * @param plainHttp whether the registry may be reached over plain HTTP (a mirror on a trusted network)
 */
public record ImagePull(Path layerCache, boolean plainHttp) {
    public void pull(String reference, String arch, Path archive) {
        try {
            Files.createDirectories(archive.getParent());
            Jib.from(RegistryImage.named(reference))
                    .setPlatforms(Set.of(new Platform(arch, "linux")))
                    .containerize(Containerizer.to(TarImage.at(archive).named(reference))
                            .setAllowInsecureRegistries(plainHttp)
                            .setBaseImageLayersCache(layerCache)
                            .setApplicationLayersCache(layerCache.resolve("application"))
                            .setToolName("kubeha"));
        } catch (InvalidImageReferenceException e) {
            throw new BundleException("'" + reference + "' is not an image reference");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BundleException("cannot pull " + reference + " for linux/" + arch + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (IOException | CacheDirectoryCreationException
                 | RegistryException e) {
            throw new BundleException("cannot pull " + reference + " for linux/" + arch + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while pulling " + reference);
        }
    }
}
