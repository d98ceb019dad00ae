package dev.kubeha.plan;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.ContainerRuntimeConfig;
import dev.kubeha.render.KubeadmConfig;
import dev.kubeha.render.KubernetesPackages;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The runtime answers on its CRI socket, and every image a node needs is pulled before kubeadm runs. */
final class PullImages {
    /** Where the bundle's image archives are copied on a host. */
    static final String BUNDLE_IMAGES = "/var/lib/kubeha/bundle/images";

    private PullImages() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        ClusterSpec spec = in.spec();
        HostSpec first = Topology.firstControlPlane(spec);
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
            List<Operation> pull = new ArrayList<>();
            if (host.equals(first)) {
                String config = " --config " + KubeadmConfig.INIT;
                pull.add(in.write(host, KubeadmConfig.INIT));
                pull.add(pullAll(crictl, "kubeadm config images list" + config));
            } else if (host.has(Role.CONTROL_PLANE)) {
                String flags = " --kubernetes-version v" + KubernetesPackages.version(spec) + " --image-repository "
                        + ShellQuote.quote(spec.cluster().imageRepository()) + " --cri-socket "
                        + ShellQuote.quote(spec.containerRuntime().criSocket());
                pull.add(pullAll(crictl, "kubeadm config images list" + flags));
            } else {
                List<String> images = List.of(ContainerRuntimeConfig.sandboxImage(spec),
                        spec.cluster().imageRepository() + "/kube-proxy:v" + KubernetesPackages.version(spec));
                pull.add(pullAll(crictl, "printf '%s\\n' " + String.join(" ",
                        images.stream().map(ShellQuote::quote).toList())));
            }
            steps.add(Step.of("k8s.images", "Pull the images from " + spec.cluster().imageRepository(), h, pull)
                    .withAttempts(3).withTimeout(Duration.ofMinutes(15)));
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
        out.add(RunCommand.unless("for i in " + String.join(" ", refs) + "; do " + crictl + " inspecti \"$i\""
                + " >/dev/null 2>&1 || exit 1; done", "for f in " + String.join(" ", files) + "; do " + load
                + " || exit 1; done"));
        return out;
    }

    /**
     * Pulls every image {@code list} prints (one a line) through the CRI, all at once (kubeadm's own pull goes one
     * after another), unless the runtime has each already.
     */
    private static RunCommand pullAll(String crictl, String list) {
        return RunCommand.unless(allPresent(crictl, list), "images=$(" + list + ") && printf '%s\\n' $images"
                + " | xargs -r -n 1 -P 8 " + crictl + " pull");
    }

    private static String allPresent(String crictl, String list) {
        return "images=$(" + list + ") && for i in $images; do " + crictl + " inspecti \"$i\" >/dev/null 2>&1"
                + " || exit 1; done";
    }
}
