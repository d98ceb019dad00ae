package dev.kubeha.plan;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleException;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.HostSpec;
import dev.kubeha.render.KubernetesPackages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** kubelet, kubeadm and kubectl from the minor's package repository, pinned to the exact version, held; kubelet on. */
final class InstallKubernetes {
    /** Where the bundle's packages are copied on a host of each family. */
    static final String BUNDLE_DEBS = "/var/lib/kubeha/bundle/debs";
    static final String BUNDLE_RPMS = "/var/lib/kubeha/bundle/rpms";
    private static final String PACKAGE_LIST = String.join(" ", KubernetesPackages.PACKAGES);
    /** apt refreshes only the Kubernetes source, so an unrelated broken source cannot fail the install. */
    private static final String UPDATE_KUBERNETES_SOURCE = "apt-get update -q -o Dir::Etc::sourcelist="
            + KubernetesPackages.APT_SOURCE.substring("/etc/apt/".length())
            + " -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0";
    private static final String INSTALL_FLAGS = "--no-install-recommends --allow-change-held-packages"
            + " --allow-downgrades";

    private InstallKubernetes() {
    }

    /**
     * The Kubernetes package repository, every package's download (apt hosts) and crictl (cri-tools, a dependency of
     * kubeadm) installed by itself, so the image pre-pull can start while the other packages go in; from a bundle
     * only crictl's package.
     */
    static Optional<Phase> repositoryAndCriTools(String name, PlanInput in) {
        String version = KubernetesPackages.version(in.spec());
        return Optional.of(Phase.parallel(name, "Kubernetes " + version + " package repository, download and crictl",
                eachNode(in, (host, family) -> {
                    String h = host.name();
                    if (in.bundle().isPresent()) {
                        String arch = in.factsOf(host).arch();
                        List<BundleItem> criTools = packageFiles(in.bundle().get(), family, arch).stream()
                                .filter(f -> f.name().equals(KubernetesPackages.CRI_TOOLS)).toList();
                        if (criTools.isEmpty()) {
                            throw new BundleException("the bundle has no " + KubernetesPackages.CRI_TOOLS
                                    + " package for " + family.name().toLowerCase(Locale.ROOT) + " " + arch);
                        }
                        return List.of(Step.of("k8s.cri-tools", "Install crictl (" + KubernetesPackages.CRI_TOOLS
                                + ") from the bundle", h, fromBundle(in.bundle().get(), criTools, family,
                                criToolsInstalled(family), "")).withAttempts(2).withTimeout(Duration.ofMinutes(10)));
                    }
                    List<Step> steps = new ArrayList<>();
                    steps.add(Step.of("k8s.repository", "Add the Kubernetes " + version + " package repository", h,
                            repository(in, host, family)).withAttempts(3));
                    if (family == OsFamily.DEBIAN) {
                        steps.add(Step.of("k8s.download", "Download the Kubernetes " + version + " packages, all at"
                                + " once", h, List.of(RunCommand.unless(installed(family, version,
                                KubernetesPackages.PACKAGES), download(version, KubernetesPackages.PACKAGES))))
                                .withAttempts(3).withTimeout(Duration.ofMinutes(10)));
                    }
                    steps.add(Step.of("k8s.cri-tools", "Install crictl (" + KubernetesPackages.CRI_TOOLS + ") for the"
                            + " image pre-pull", h, List.of(RunCommand.unless(criToolsInstalled(family),
                            installCriTools(family)))).withAttempts(3).withTimeout(Duration.ofMinutes(10)));
                    return steps;
                })));
    }

    /** kubelet, kubeadm and kubectl from the repository (or the bundle) the repository phase set up, held. */
    static Optional<Phase> build(String name, PlanInput in) {
        String version = KubernetesPackages.version(in.spec());
        return Optional.of(Phase.parallel(name, "Kubernetes packages " + version, eachNode(in, (host, family) -> {
            Step packages = in.bundle().isPresent()
                    ? Step.of("k8s.packages", "Install kubelet, kubeadm and kubectl " + version + " from the bundle"
                            + " and hold them", host.name(), fromBundle(in.bundle().get(), family,
                            in.factsOf(host).arch(), version)).withAttempts(2).withTimeout(Duration.ofMinutes(10))
                    : Step.of("k8s.packages", "Install kubelet, kubeadm and kubectl " + version + " and hold them",
                            host.name(), List.of(RunCommand.unless(installed(family, version,
                            KubernetesPackages.PACKAGES), install(family, version, KubernetesPackages.PACKAGES))))
                            .withAttempts(3).withTimeout(Duration.ofMinutes(10));
            return List.of(packages, kubelet(host.name()));
        })));
    }

    /** The steps {@code stepsOf} gives each Kubernetes node, by its OS family, in the nodes' order. */
    private static List<Step> eachNode(PlanInput in, BiFunction<HostSpec, OsFamily, List<Step>> stepsOf) {
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : in.kubernetesNodes()) {
            steps.addAll(stepsOf.apply(host, in.factsOf(host).osFamily()));
        }
        return steps;
    }

    /** cri-tools is installed (any version: kubeadm's dependency takes the repository's, as apt or dnf would). */
    static String criToolsInstalled(OsFamily family) {
        return switch (family) {
            case DEBIAN -> "dpkg-query -W -f='${Status}' " + KubernetesPackages.CRI_TOOLS
                    + " 2>/dev/null | grep -q 'ok installed'";
            case RHEL -> "rpm -q " + KubernetesPackages.CRI_TOOLS + " >/dev/null 2>&1";
        };
    }

    /**
     * cri-tools from the Kubernetes repository by itself; on apt hosts from the .deb the download put in apt's cache,
     * with the lists the download refreshed (the repository's dnf configuration excludes it unless asked).
     */
    static String installCriTools(OsFamily family) {
        return OsCommands.packageManager(switch (family) {
            case DEBIAN -> "export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q --no-install-recommends "
                    + KubernetesPackages.CRI_TOOLS;
            case RHEL -> "dnf install -y -q --disableexcludes=" + KubernetesPackages.YUM_REPO_ID + " "
                    + KubernetesPackages.CRI_TOOLS;
        });
    }

    private static Step kubelet(String host) {
        return Step.of("k8s.kubelet", "Enable the kubelet (it waits for kubeadm)", host, List.of(
                RunCommand.unless("systemctl is-enabled --quiet kubelet", "systemctl enable kubelet")));
    }

    /**
     * The bundle's packages of the host's family and architecture copied to the host, then installed from those
     * files: .debs by apt, held; .rpms by dnf with --disableexcludes like the online install (which rpm file is which
     * version is fixed by the bundle). A first try uses no repository at all, so a host with every dependency installed
     * needs no mirror; only when one is missing does apt refresh its lists, or dnf load its repositories, and take it
     * from the host's own mirrors.
     */
    static List<Operation> fromBundle(Bundle bundle, OsFamily family, String arch, String version) {
        return fromBundle(bundle, packageFiles(bundle, family, arch), family,
                installed(family, version, KubernetesPackages.PACKAGES), " && apt-mark hold " + PACKAGE_LIST);
    }

    private static List<BundleItem> packageFiles(Bundle bundle, OsFamily family, String arch) {
        return bundle.manifest().of(family == OsFamily.DEBIAN ? BundleItem.Kind.DEB : BundleItem.Kind.RPM, arch);
    }

    /** {@code files} copied to the host and installed from there unless {@code installed}; {@code hold} after apt. */
    private static List<Operation> fromBundle(Bundle bundle, List<BundleItem> files, OsFamily family,
                                              String installed, String hold) {
        List<Operation> out = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        String dir = family == OsFamily.DEBIAN ? BUNDLE_DEBS : BUNDLE_RPMS;
        for (BundleItem file : files) {
            String path = dir + "/" + file.fileName();
            out.add(new PushFile(bundle.file(file).toString(), path, file.sha256()));
            paths.add(ShellQuote.quote(path));
        }
        String list = String.join(" ", paths);
        out.add(RunCommand.unless(installed, OsCommands.packageManager(switch (family) {
            case DEBIAN -> {
                String install = "apt-get install -y -q " + INSTALL_FLAGS + " " + list;
                yield "export DEBIAN_FRONTEND=noninteractive; { " + install + " || { apt-get update -q && "
                        + install + "; }; }" + hold;
            }
            case RHEL -> {
                String install = "dnf install -y -q --disableexcludes=" + KubernetesPackages.YUM_REPO_ID;
                yield install + " --disablerepo='*' " + list + " || " + install + " " + list;
            }
        })));
        return out;
    }

    /** The signing key first (checked against the pin on the host when there is one), then the repository file. */
    static List<Operation> repository(PlanInput in, HostSpec host, OsFamily family) {
        String pin = in.spec().cluster().signingKeyPin().orElse("");
        String key = KubernetesPackages.keyPath(family);
        List<String> tools = new ArrayList<>(family == OsFamily.DEBIAN ? List.of("curl", "ca-certificates")
                : List.of());
        if (!pin.isEmpty()) {
            tools.add(family == OsFamily.DEBIAN ? "gpg" : "gnupg2");
        }
        String installed = pin.isEmpty() ? "test -s " + key
                : withGnupgHome("test -s " + key + " && [ \"$(" + fingerprints(key) + ")\" = " + pin + " ]");
        List<Operation> operations = new ArrayList<>();
        if (!tools.isEmpty()) {
            operations.add(OsCommands.installPackages(family, tools));
        }
        operations.add(RunCommand.unless(installed, fetchKey(KubernetesPackages.keyUrl(in.spec(), family), pin, key)));
        operations.add(in.write(host, family == OsFamily.DEBIAN ? KubernetesPackages.APT_SOURCE
                : KubernetesPackages.YUM_REPO));
        return operations;
    }

    /**
     * Downloads the key to a private temporary directory and, with a pin, refuses it unless its primary keys are
     * exactly the pinned one; only then installs it (0644) where apt or dnf trusts it.
     */
    static String fetchKey(String url, String pin, String destination) {
        String check = pin.isEmpty() ? "" : "f=$(" + fingerprints("\"$t/key\"") + ") && { [ \"$f\" = " + pin
                + " ] || { echo \"the downloaded signing key is ${f:-not an OpenPGP key}, not the pinned " + pin
                + ": it is not trusted\" >&2; exit 1; }; } && ";
        String parent = destination.substring(0, destination.lastIndexOf('/'));
        return withGnupgHome("curl -fsSL --retry 3 " + ShellQuote.quote(url) + " -o \"$t/key\" && " + check
                + "install -d -m 0755 " + ShellQuote.quote(parent) + " && install -m 0644 \"$t/key\" "
                + ShellQuote.quote(destination + ".tmp") + " && mv " + ShellQuote.quote(destination + ".tmp") + " "
                + ShellQuote.quote(destination));
    }

    /** The primary key fingerprints of an armored key file, space-separated, as gpg's colon listing gives them. */
    private static String fingerprints(String file) {
        return "GNUPGHOME=\"$t\" gpg --batch --no-tty --show-keys --with-colons " + file + " 2>/dev/null | awk -F:"
                + " '$1==\"pub\"{p=1;next} p&&$1==\"fpr\"{printf \"%s%s\", s, $10; s=\" \"; p=0}'";
    }

    /** Runs the script in a subshell with $t a private temporary directory, removed (and gpg's daemons ended) after. */
    private static String withGnupgHome(String script) {
        return "(t=$(mktemp -d) && trap 'GNUPGHOME=\"$t\" gpgconf --kill all >/dev/null 2>&1; rm -rf \"$t\"' EXIT && "
                + script + ")";
    }

    /** Every one of {@code packages} is installed at {@code version} (and held, on apt hosts). */
    static String installed(OsFamily family, String version, List<String> packages) {
        String list = String.join(" ", packages);
        return switch (family) {
            case DEBIAN -> "for p in " + list + "; do case \"$(dpkg-query -W -f='${Status} ${Version}' $p"
                    + " 2>/dev/null)\" in *'ok installed " + version + "-'*) ;; *) exit 1;; esac; done"
                    + " && test \"$(apt-mark showhold | grep -cxE '" + String.join("|", packages) + "')\" -eq "
                    + packages.size();
            case RHEL -> "for p in " + list + "; do test \"$(rpm -q --qf '%{VERSION}' $p 2>/dev/null)\" = "
                    + version + " || exit 1; done";
        };
    }

    /**
     * Installs exactly {@code version} of {@code packages} from the Kubernetes repository and holds them; apt refreshes
     * only the Kubernetes source, so an unrelated broken source cannot fail the install.
     */
    static String install(OsFamily family, String version, List<String> packages) {
        String list = String.join(" ", packages);
        return OsCommands.packageManager(switch (family) {
            case DEBIAN -> "export DEBIAN_FRONTEND=noninteractive; " + UPDATE_KUBERNETES_SOURCE
                    + " && apt-get install -y -q " + INSTALL_FLAGS + " " + pinned(version, packages)
                    + " && apt-mark hold " + list;
            case RHEL -> "dnf install -y -q --disableexcludes=" + KubernetesPackages.YUM_REPO_ID + " "
                    + packages.stream().map(p -> p + "-" + version).collect(Collectors.joining(" "));
        });
    }

    /**
     * Fetches the .debs apt would download to install {@code packages} at {@code version} into apt's cache, all at
     * once (apt itself fetches one after another from a host) by apt's own downloader, each checked against the hash
     * apt's signed index gives; the install then finds them there and checks them again. Only the list update and the URI query
     * hold the package lock, so the downloads run beside another lane's apt.
     */
    static String download(String version, List<String> packages) {
        return "export DEBIAN_FRONTEND=noninteractive; uris=$(" + OsCommands.packageManager(UPDATE_KUBERNETES_SOURCE
                + " >&2 && apt-get install -qq --print-uris " + INSTALL_FLAGS + " " + pinned(version, packages))
                + ") && printf '%s\\n' \"$uris\" | awk 'NF >= 4 { gsub(\"\\047\", \"\", $1); print $1, $2, $4 }'"
                + " | xargs -r -n 3 -P 8 sh -c 'a=/var/cache/apt/archives; [ -s \"$a/$2\" ] || {"
                + " /usr/lib/apt/apt-helper download-file \"$1\" \"$a/partial/$2\" \"$3\" >/dev/null"
                + " && mv \"$a/partial/$2\" \"$a/$2\"; }' sh";
    }

    private static String pinned(String version, List<String> packages) {
        return packages.stream().map(p -> p + "='" + version + "-*'").collect(Collectors.joining(" "));
    }
}
