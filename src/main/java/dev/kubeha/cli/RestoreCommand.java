package dev.kubeha.cli;

import dev.kubeha.install.EtcdSnapshots;
import dev.kubeha.plan.Restore;
import dev.kubeha.plan.RestoreInput;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code kubeha restore}: puts an etcd snapshot back on every member, the apiservers stopped meanwhile. */
public final class RestoreCommand implements Command {
    static final Option FROM = Option.value(null, "--from", "SNAPSHOT", "The snapshot kubeha backup wrote.")
            .mandatory();

    @Override
    public String name() {
        return "restore";
    }

    @Override
    public String summary() {
        return "Restore an etcd snapshot on every member (apiservers and etcd stopped meanwhile).";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, FROM, ApplyCommand.YES, ApplyCommand.ACCEPT_NEW, ApplyCommand.BREAK_LOCK,
                Workspace.STATE_DIR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Phases: " + String.join(", ", Restore.WORKFLOW.phaseNames()) + ".",
                "The snapshot's SHA-256 and revision are checked first, on the jump host and on every member. Each",
                "member's old data directory stays as DATA.before-restore-TIME. Without --yes, restore asks for the",
                "cluster's name: everything written to etcd after the snapshot is lost.");
    }

    @Override
    public int run(Arguments args, CliContext context) {
        return WorkflowRun.withExternalEtcd(args, context, name(), w -> run(args, context, w));
    }

    private int run(Arguments args, CliContext context, Workspace w) {
        String cluster = w.spec().cluster().name();
        Path from = args.path(FROM.name()).orElseThrow();
        EtcdSnapshots.Checked snapshot;
        try {
            snapshot = EtcdSnapshots.check(from, w.spec());
        } catch (EtcdSnapshots.SnapshotException e) {
            context.err().println("restore: " + e.getMessage());
            context.err().flush();
            return ExitCodes.PROBLEMS;
        }
        context.out().println("snapshot " + from + ": sha256 " + snapshot.record().sha256() + " matches; revision "
                + snapshot.record().revision() + ", " + snapshot.record().totalKey() + " keys, taken "
                + snapshot.record().takenAt());
        context.out().flush();
        if (!WorkflowRun.confirmedByName(args, context, "This stops every kube-apiserver and etcd member of "
                + cluster + " and puts etcd back to revision " + snapshot.record().revision()
                + ". Type the cluster name to go on:", cluster)) {
            return ExitCodes.PROBLEMS;
        }
        RestoreInput input = new RestoreInput(w.spec(), snapshot.content(), snapshot.record().sha256(),
                snapshot.record().revision(), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(context.clock().instant()));
        return WorkflowRun.run(args, context, w, Restore.WORKFLOW, input, (session, plan) -> {
            context.out().println("restore: etcd is back at revision " + snapshot.record().revision() + " on every"
                    + " member; each member's previous data directory is kept as " + input.keptAside());
            context.out().flush();
            return ExitCodes.OK;
        });
    }
}
