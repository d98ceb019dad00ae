package dev.kubeha.cli;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleArchive;
import dev.kubeha.bundle.BundleCheck;
import dev.kubeha.bundle.BundleException;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.bundle.BundleManifest;
import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.facts.FactsFile;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.RuntimeSource;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.sources.Download;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code kubeha validate}: every problem of an answers file, without touching any host. */
public final class ValidateCommand implements Command {
    static final Option FILE = Option.value("-f", "--file", "FILE", "The answers file.").mandatory();
    static final Option OUTPUT = Option.value("-o", "--output", "FORMAT", "text (default) or json.")
            .choices("text", "text", "json");
    static final Option FACTS = Option.value(null, Workspace.FACTS.name(), "FILE",
            "Host facts (YAML, per host, as render takes them): --bundle must carry their architectures.");

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "Check an answers file offline and report every problem at once.";
    }

    @Override
    public List<Option> options() {
        return List.of(FILE, OUTPUT, Workspace.BUNDLE, Workspace.RELEASE_MIRROR, FACTS, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Exit codes: 0 no errors (warnings may be shown), 1 the file has errors, 2 usage error.");
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        ReleaseSites sites = Workspace.releaseSites(args, name());
        CheckedAnswers checked = CheckedAnswers.check(args.path(FILE.name()).orElseThrow(), context.today());
        boolean json = args.value(OUTPUT).equals("json");
        context.out().print(json ? ProblemReport.json(checked) : ProblemReport.text(checked));
        context.out().flush();
        if (checked.hasErrors()) {
            return ExitCodes.PROBLEMS;
        }
        Optional<Path> bundle = args.path(Workspace.BUNDLE.name());
        if (bundle.isEmpty()) {
            return downloads(checked.validSpec().orElseThrow(), sites, context);
        }
        ClusterSpec spec = checked.validSpec().orElseThrow();
        Optional<FactsFile.Loaded> facts = Optional.empty();
        if (args.path(FACTS.name()).isPresent()) {
            facts = Workspace.offlineFacts(args, context, spec);
            if (facts.isEmpty()) {
                return ExitCodes.PROBLEMS;
            }
        }
        return checkBundle(spec, bundle.get(), facts, context);
    }

    /** Verifies every file of the bundle and checks it fits the answers (and the hosts of --facts); prints why not. */
    private static int checkBundle(ClusterSpec spec, Path tar, Optional<FactsFile.Loaded> facts, CliContext context) {
        try {
            Path into = Files.createTempDirectory("kubeha-bundle-check-");
            Files.delete(into);
            Bundle opened = BundleArchive.open(tar, into);
            try {
                List<String> problems = facts.map(f -> BundleCheck.problems(spec, opened, f.facts()))
                        .orElseGet(() -> BundleCheck.problems(spec, opened, List.of()));
                problems.forEach(p -> context.err().println("kubeha: " + tar + ": " + p));
                if (!problems.isEmpty()) {
                    return ExitCodes.PROBLEMS;
                }
                BundleManifest m = opened.manifest();
                context.err().println("bundle " + tar + ": every file matches its SHA-256 and it fits the answers:"
                        + " Kubernetes " + m.kubernetesVersion() + ", " + m.of(BundleItem.Kind.IMAGE).size()
                        + " images from " + m.imageRepository() + " and the packages for " + String.join(", ",
                        m.architectures()) + facts.map(f -> ", the architectures of the hosts in " + f.source())
                        .orElse("; apply checks the hosts' architectures once it has probed them (or pass --facts"
                                + " FILE)"));
                return ExitCodes.OK;
            } finally {
                opened.discard();
            }
        } catch (IOException e) {
            context.err().println("kubeha: cannot make a directory to check the bundle in: " + e.getMessage());
            return ExitCodes.PROBLEMS;
        } catch (BundleException e) {
            context.err().println("kubeha: " + e.getMessage());
            return ExitCodes.PROBLEMS;
        } finally {
            context.err().flush();
        }
    }

    /**
     * What apply would download, and from where, for hosts as kubeha assumes them before it probes them; sends no
     * request. A version kubeha's checksum table lacks is an error here as in apply.
     */
    private static int downloads(ClusterSpec spec, ReleaseSites sites, CliContext context) {
        Map<String, HostFacts> facts = FactsDefaults.forSpec(spec);
        Map<String, String> arches = new LinkedHashMap<>();
        facts.forEach((name, f) -> arches.put(name, f.arch()));
        try {
            for (Download d : Releases.needed(spec, arches, RuntimeSource.archiveHosts(spec, facts), sites)) {
                context.err().println("note: apply downloads " + d.title() + " from " + d.url() + " ("
                        + d.checkedAgainst() + "), for Debian 13 amd64 hosts until it probes them");
            }
            return ExitCodes.OK;
        } catch (SourceException e) {
            context.err().println("kubeha: " + e.getMessage());
            return ExitCodes.PROBLEMS;
        } finally {
            context.err().flush();
        }
    }
}
