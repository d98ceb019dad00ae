package dev.kubeha.cli;

import dev.kubeha.install.AppliedRecord;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Json;
import dev.kubeha.plan.EtcdVersionChange;
import dev.kubeha.plan.InstallFromArchive;
import dev.kubeha.plan.MergeBlock;
import dev.kubeha.plan.Need;
import dev.kubeha.plan.Operation;
import dev.kubeha.plan.Install;
import dev.kubeha.plan.MembershipOptions;
import dev.kubeha.plan.Phase;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.PushFile;
import dev.kubeha.plan.RunCommand;
import dev.kubeha.plan.Step;
import dev.kubeha.plan.WriteFile;
import dev.kubeha.sources.SourceFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code kubeha plan}: the ordered phases, what each waits for and the steps per host, as apply would run them. */
public final class PlanCommand implements Command {
    static final Option OUTPUT = Option.value("-o", "--output", "FORMAT", "text (default) or json.")
            .choices("text", "text", "json");

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public String summary() {
        return "Show the phases and steps apply would run on each host, touching no host.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, OUTPUT, Workspace.FACTS, Membership.ALLOW_REMOVAL, Membership.ALLOW_EVEN,
                Membership.ALLOW_UNREACHABLE, Membership.DRAIN_TIMEOUT, Workspace.STATE_DIR, Workspace.RELEASE_MIRROR,
                HELP);
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        MembershipOptions options = Membership.options(args, name());
        Optional<Workspace.Offline> offline = Workspace.offline(args, context, name());
        if (offline.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        SourceFiles downloads = offline.get().downloads();
        Plan plan = Install.WORKFLOW.plan(offline.get().planInput(context).withMembership(options));
        ClusterChange change = Membership.change(offline.get().workspace());
        ClusterChange.Allowed allowed = Membership.allowed(args);
        List<String> refusals = new ArrayList<>(change.refusals(allowed));
        refusals.addAll(options.refusals(change));
        Map<String, List<String>> notCleaned = Install.notCleaned(offline.get().workspace().spec(), change, options);
        Optional<EtcdVersionChange> etcdVersion = AppliedRecord.etcdVersionChangeTo(
                offline.get().workspace().state(), offline.get().workspace().spec());
        if (args.value(OUTPUT).equals("json")) {
            Map<String, Object> json = new LinkedHashMap<>(json(plan));
            json.put("downloads", downloads.files().stream().map(PlanCommand::download).toList());
            json.put("membership", membership(change, refusals, notCleaned));
            json.put("etcdVersion", etcdVersion.map(PlanCommand::etcdVersion).orElse(null));
            context.out().print(Json.write(json) + "\n");
        } else {
            StringBuilder report = new StringBuilder(change.report(allowed));
            options.refusals(change).forEach(r -> report.append("  refused: ").append(r).append('\n'));
            notCleaned.forEach((host, titles) -> report.append("  not run on ").append(host).append(" (given up as"
                    + " unreachable): ").append(String.join("; ", titles)).append('\n'));
            context.out().print(text(downloads) + report + etcdVersion.map(EtcdVersionChange::describe).orElse("")
                    + text(plan));
        }
        context.out().flush();
        return refusals.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }

    /** What apply downloads on the jump host before it touches a host: source, checksum and place in the cache. */
    static String text(SourceFiles downloads) {
        if (downloads.files().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("downloads (on this jump host, before any host is touched):\n");
        for (SourceFiles.CachedFile f : downloads.files()) {
            out.append("  ").append(f.download().title()).append('\n')
                    .append("    from ").append(f.download().url()).append('\n')
                    .append("    ").append(f.download().checkedAgainst()).append('\n')
                    .append("    cache ").append(f.path())
                    .append(Files.isRegularFile(f.path()) ? " (present)" : " (not downloaded yet)").append('\n');
        }
        return out.toString();
    }

    private static Map<String, Object> membership(ClusterChange change, List<String> refusals,
                                                  Map<String, List<String>> notCleaned) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recorded", change.recorded());
        m.put("joining", change.joining().stream().map(HostSpec::name).toList());
        m.put("leaving", change.leaving().stream().map(HostSpec::name).toList());
        m.put("changedInPlace", change.changedInPlace());
        m.put("refusals", refusals);
        if (!notCleaned.isEmpty()) {
            m.put("notRunOnUnreachable", notCleaned);
        }
        return m;
    }

    private static Map<String, Object> etcdVersion(EtcdVersionChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", c.target());
        m.put("from", c.source());
        m.put("running", c.order().stream().filter(c.running()::containsKey)
                .collect(LinkedHashMap::new, (o, member) -> o.put(member, c.running().get(member)), Map::putAll));
        m.put("refused", c.newer());
        m.put("backup", c.newer().isEmpty() ? c.backup() : null);
        m.put("order", c.newer().isEmpty() ? c.order() : List.of());
        return m;
    }

    private static Map<String, Object> download(SourceFiles.CachedFile f) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("component", f.download().component());
        o.put("version", f.download().version());
        o.put("arch", f.download().arch());
        o.put("url", f.download().url().toString());
        o.put("sha256", f.download().sha256().orElse(null));
        o.put("cache", f.path().toString());
        o.put("cached", Files.isRegularFile(f.path()));
        return o;
    }

    static String text(Plan plan) {
        StringBuilder out = new StringBuilder();
        int number = 0;
        for (Phase phase : plan.phases()) {
            out.append("phase ").append(++number).append(": ").append(phase.name()).append(" - ").append(phase.title())
                    .append(phase.oneHostAtATime() ? " (one host at a time)" : "").append('\n');
            if (!phase.needs().isEmpty()) {
                out.append("  waits for: ").append(String.join(", ", phase.needs().stream().map(Need::describe)
                        .toList())).append('\n');
            }
            if (!phase.lane().equals(Phase.MAIN_LANE)) {
                out.append("  runs in lane ").append(phase.lane()).append(", beside the same host's other phases\n");
            }
            for (String host : phase.hosts()) {
                out.append("  ").append(host).append('\n');
                for (Step step : phase.stepsOf(host)) {
                    out.append("    ").append(step.id()).append(": ").append(step.title()).append('\n');
                    for (Operation op : step.operations()) {
                        out.append(op.describe().indent(8));
                    }
                    step.verify().ifPresent(v -> out.append("        verify: ").append(v.command())
                            .append(v.within().isZero() ? "" : "   (within " + v.within().toSeconds() + " s)")
                            .append('\n'));
                }
            }
        }
        return out.toString();
    }

    static Map<String, Object> json(Plan plan) {
        List<Object> phases = new ArrayList<>();
        for (Phase phase : plan.phases()) {
            List<Object> steps = new ArrayList<>();
            for (Step step : phase.steps()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("host", step.host());
                s.put("id", step.id());
                s.put("title", step.title());
                s.put("fingerprint", step.fingerprint());
                s.put("operations", step.operations().stream().map(PlanCommand::operation).toList());
                s.put("verify", step.verify().map(v -> v.command()).orElse(null));
                steps.add(s);
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", phase.name());
            p.put("title", phase.title());
            p.put("oneHostAtATime", phase.oneHostAtATime());
            p.put("needs", phase.needs().stream().map(PlanCommand::need).toList());
            p.put("lane", phase.lane());
            p.put("steps", steps);
            phases.add(p);
        }
        return Map.of("phases", phases);
    }

    private static Map<String, Object> need(Need need) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("phase", need.phase());
        n.put("everyHost", need.everyHost());
        n.put("scope", need.scope().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return n;
    }

    private static Map<String, Object> operation(Operation op) {
        Map<String, Object> o = new LinkedHashMap<>();
        switch (op) {
            case WriteFile w -> {
                o.put("write", w.file().path());
                o.put("mode", String.format("%04o", w.file().mode()));
                o.put("owner", w.file().owner());
                o.put("bytes", w.file().content().length);
            }
            case RunCommand r -> {
                o.put("run", r.command());
                o.put("unless", r.doneWhen().orElse(null));
                o.put("onlyAfterChange", r.onlyAfterChange());
            }
            case MergeBlock m -> {
                o.put("merge", m.path());
                o.put("block", m.block());
            }
            case PushFile f -> {
                o.put("copy", f.source());
                o.put("to", f.path());
                o.put("sha256", f.sha256());
            }
            case InstallFromArchive a -> {
                o.put("archive", a.archive());
                o.put("members", a.members());
                o.put("targetDir", a.targetDir());
                if (a.keepPackaged()) {
                    o.put("keepPackaged", true);
                }
            }
        }
        return o;
    }
}
