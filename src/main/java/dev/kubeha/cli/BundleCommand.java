package dev.kubeha.cli;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.bundle.BundleBuilder;
import dev.kubeha.bundle.BundleException;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.bundle.BundleManifest;
import dev.kubeha.bundle.ImagePull;
import dev.kubeha.events.EngineEvent;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.progress.DownloadLines;
import dev.kubeha.sources.Downloader;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.sources.SourceException;
import dev.kubeha.state.StateHome;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** {@code kubeha bundle}: writes the offline bundle an air-gapped {@code apply --bundle} installs from. */
public final class BundleCommand implements Command {
    static final List<String> ARCHES = List.of("amd64", "arm64");
    static final Option OUT = Option.value("-o", "--output", "FILE", "The bundle to write (a .tar).").mandatory();
    static final Option ARCH = Option.value(null, "--arch", "ARCHES",
            "Host architectures to carry, comma-separated: amd64, arm64 (default amd64).");
    static final Option RPM = Option.flag("--rpm", "Also carry the .rpm packages (the repository's rpm/ metadata,"
            + " signature and SHA-256s checked), for a mirror of RHEL-family hosts; apply --bundle installs .debs only.");
    static final Option PLAIN_HTTP = Option.flag("--plain-http-registry",
            "Reach cluster.imageRepository over plain HTTP (a mirror on a trusted network).");

    @Override
    public String name() {
        return "bundle";
    }

    @Override
    public String summary() {
        return "Write one archive with every package, image and release file the answers need, for air-gapped hosts.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, OUT, ARCH, RPM, PLAIN_HTTP, Workspace.RELEASE_MIRROR, Workspace.STATE_DIR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Needs access to the package repository, the image repository and the release sites; the"
                        + " hosts need none: kubeha apply -f FILE --bundle BUNDLE.",
                "Exit codes: 0 written, 1 problems, 2 usage error.");
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        List<String> arches = Arrays.stream(args.value(ARCH.name()).orElse("amd64").split(",")).map(String::trim)
                .distinct().toList();
        for (String arch : arches) {
            if (!ARCHES.contains(arch)) {
                throw new UsageException(name(), "option '--arch': '" + arch + "' is not one of "
                        + String.join(", ", ARCHES));
            }
        }
        ReleaseSites sites = Workspace.releaseSites(args, name());
        CheckedAnswers checked = CheckedAnswers.check(args.path(Workspace.FILE.name()).orElseThrow(),
                context.today());
        if (checked.hasErrors()) {
            context.err().print(ProblemReport.text(checked));
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        ClusterSpec spec = checked.validSpec().orElseThrow();
        StateHome home = StateHome.resolve(args.path(Workspace.STATE_DIR.name()).orElse(null), System.getenv());
        SourceCache cache = new SourceCache(home.root().resolve(SourceCache.NAME));
        Path out = args.path(OUT.name()).orElseThrow();
        DownloadLines lines = new DownloadLines(context.out());
        try {
            BundleManifest manifest = new BundleBuilder(Downloader.overHttp(context.clock()), cache,
                    HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                            .connectTimeout(Duration.ofSeconds(20)).build(),
                    new ImagePull(cache.dir().resolve("image-layers"), args.flag(PLAIN_HTTP.name())),
                    t -> lines.accept(EngineEvent.Downloading.of(context.clock().instant(), t)), s -> {
                        context.out().println(s);
                        context.out().flush();
                    }).write(spec, arches, args.flag(RPM.name()), sites, out);
            context.out().println("wrote " + out + ": Kubernetes " + manifest.kubernetesVersion() + " for "
                    + String.join(", ", arches) + ": " + (manifest.of(BundleItem.Kind.DEB).size()
                    + manifest.of(BundleItem.Kind.RPM).size()) + " packages, "
                    + manifest.of(BundleItem.Kind.IMAGE).size() + " images, " + manifest.of(BundleItem.Kind.RELEASE)
                    .size() + " release files");
            context.out().flush();
            return ExitCodes.OK;
        } catch (BundleException | SourceException e) {
            context.err().println("kubeha: " + e.getMessage());
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
    }
}
