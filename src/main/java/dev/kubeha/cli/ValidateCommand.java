package dev.kubeha.cli;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleException;
import dev.kubeha.facts.FactsDefaults;
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
        return List.of(FILE, OUTPUT, Workspace.BUNDLE, Workspace.RELEASE_MIRROR, HELP);
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
        Path into;
        try {
            into = Files.createTempDirectory("kubeha-bundle-check-");
            Files.delete(into);
        } catch (IOException e) {
            context.err().println("kubeha: cannot make a directory to check the bundle in: " + e.getMessage());
            return ExitCodes.PROBLEMS;
        }
        try {
            Bundle.openFor(checked.validSpec().orElseThrow(), bundle.get(), into).discard();
            context.err().println("bundle " + bundle.get() + ": every file matches its SHA-256 and it fits the"
                    + " answers (version, image repository, release files); apply checks the hosts' architectures");
        } catch (BundleException e) {
            context.err().println("kubeha: " + e.getMessage());
            return ExitCodes.PROBLEMS;
        } finally {
            context.err().flush();
        }
        return ExitCodes.OK;
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
