package dev.kubeha.plan;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleImages;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.ContainerRuntimeConfig;
import dev.kubeha.render.KubernetesPackages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runtime answers on its CRI socket, and every image a node needs (kubeadm's list for the version on a control
 * plane, the sandbox and kube-proxy on a worker) is pulled or imported before kubeadm runs.
 */
final class PullImages {
    /** Where the bundle's image archives are copied on a host. */
    static final String BUNDLE_IMAGES = "/var/lib/kubeha/bundle/images";

    private PullImages() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        ClusterSpec spec = in.spec();
        String crictl = Kube.crictl(spec);
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : in.kubernetesNodes()) {
            String h = host.name();
            steps.add(Step.of("k8s.cri", "Check the runtime on " + spec.containerRuntime().criSocket(), h, List.of())
                    .verifiedBy(Verification.within(Duration.ofSeconds(30), crictl + " info >/dev/null")));
            if (in.bundle().isPresent()) {
                steps.add(Step.of("k8s.images", "Import the images from the bundle", h,
                        fromBundle(spec, in.bundle().get(), in.factsOf(host).arch(), crictl))
                        .withAttempts(2).withTimeout(Duration.ofMinutes(15)));
                continue;
            }
            List<String> images = host.has(Role.CONTROL_PLANE) ? BundleImages.kubeadm(spec)
                    : List.of(ContainerRuntimeConfig.sandboxImage(spec),
                            spec.cluster().imageRepository() + "/kube-proxy:v" + KubernetesPackages.version(spec));
            steps.add(Step.of("k8s.images", "Pull the images from " + spec.cluster().imageRepository(), h,
                    List.of(pullAll(crictl, images))).withAttempts(3).withTimeout(Duration.ofMinutes(15)));
        }
        return Optional.of(Phase.parallel(name, "Runtime check and image pre-pull", steps));
    }

    /**
     * Every image archive of the bundle for the host's architecture copied to {@link #BUNDLE_IMAGES} and loaded into
     * the runtime (containerd's k8s.io namespace, or Docker) unless the runtime has each image already; kubeadm then
     * finds them and pulls nothing (its static pods' imagePullPolicy is IfNotPresent).
     */
    private static List<Operation> fromBundle(ClusterSpec spec, Bundle bundle, String arch, String crictl) {
        List<Operation> out = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        for (BundleItem image : bundle.manifest().of(BundleItem.Kind.IMAGE, arch)) {
            String path = BUNDLE_IMAGES + "/" + image.fileName();
            out.add(new PushFile(bundle.file(image).toString(), path, image.sha256()));
            files.add(ShellQuote.quote(path));
            refs.add(ShellQuote.quote(image.name()));
        }
        String load = spec.containerRuntime() == ContainerRuntime.DOCKER ? "docker load -i \"$f\""
                : "ctr -n k8s.io images import \"$f\"";
        out.add(RunCommand.unless(allPresent(crictl, String.join(" ", refs)), "for f in " + String.join(" ", files)
                + "; do " + load + " || exit 1; done"));
        return out;
    }

    /**
     * Pulls every image through the CRI, all at once (kubeadm's own pull goes one after another), unless the runtime
     * has each already. The list is kubeadm's for the version ({@link BundleImages#kubeadm}), so the pull needs no
     * kubeadm and starts while the packages are installed.
     */
    private static RunCommand pullAll(String crictl, List<String> images) {
        String list = String.join(" ", images.stream().map(ShellQuote::quote).toList());
        return RunCommand.unless(allPresent(crictl, list), "printf '%s\\n' " + list + " | xargs -r -n 1 -P 8 "
                + crictl + " pull");
    }

    /**
     * The runtime has every one of {@code images} (space-separated, quoted): one crictl call, which fails at the
     * first image it does not have.
     */
    private static String allPresent(String crictl, String images) {
        return crictl + " inspecti " + images + " >/dev/null 2>&1";
    }
}
