package dev.kubeha.bundle;

import dev.kubeha.model.ClusterSpec;
import java.nio.file.Path;
import java.util.List;

/** A bundle whose every file was checked against its manifest, unpacked in a private directory on the jump host. */
public record Bundle(Path dir, BundleManifest manifest) {
    public Path file(BundleItem item) {
        return dir.resolve(item.path());
    }

    /** Removes the unpacked files. */
    public void discard() {
        BundleArchive.delete(dir);
    }

    /** Unpacks a bundle into {@code into} (replacing what an earlier run left there), every file checked. */
    public static Bundle open(Path tar, Path into) {
        BundleArchive.delete(into);
        return BundleArchive.open(tar, into);
    }

    /**
     * Unpacks and verifies a bundle into {@code into} (replacing what an earlier run left there) and checks that it
     * fits the answers as far as they tell without the hosts: version, image repository, the packages and every image
     * for each architecture it carries, release files.
     */
    public static Bundle openFor(ClusterSpec spec, Path tar, Path into) {
        Bundle bundle = open(tar, into);
        List<String> problems = BundleCheck.problems(spec, bundle, List.of());
        if (!problems.isEmpty()) {
            bundle.discard();
            throw new BundleException(tar + ": " + String.join("; ", problems));
        }
        return bundle;
    }
}
