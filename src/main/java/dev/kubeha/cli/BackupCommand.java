package dev.kubeha.cli;

import dev.kubeha.install.EtcdSnapshots;
import dev.kubeha.plan.Backup;
import dev.kubeha.plan.EtcdCtl;
import dev.kubeha.ssh.SshException;
import java.nio.file.Path;
import java.util.List;

/** {@code kubeha backup}: an etcd snapshot from a healthy member, copied to the jump host with its SHA-256. */
public final class BackupCommand implements Command {
    static final Option OUTPUT = Option.value("-o", "--output-file", "PATH",
            "Where the snapshot goes (default STATE/backups/CLUSTER-etcd-TIME.db); its record goes to PATH.json.");

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public String summary() {
        return "Take an etcd snapshot on a healthy member and copy it to the jump host with its SHA-256.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, OUTPUT, ApplyCommand.ACCEPT_NEW, ApplyCommand.BREAK_LOCK, Workspace.STATE_DIR,
                HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Only when every etcd member answers healthy. The snapshot is 0600; beside it, FILE.json",
                "records the SHA-256, size and etcdutl's status (revision, keys, size): kubeha restore checks them.");
    }

    @Override
    public int run(Arguments args, CliContext context) {
        return WorkflowRun.withExternalEtcd(args, context, name(), w -> run(args, context, w));
    }

    private int run(Arguments args, CliContext context, Workspace w) {
        Path target = args.path(OUTPUT.name())
                .orElseGet(() -> EtcdSnapshots.defaultTarget(w.state(), w.spec(), context.clock()));
        var member = EtcdCtl.members(w.spec()).get(0);
        return WorkflowRun.run(args, context, w, Backup.WORKFLOW, w.cluster().backupInput(), (session, plan) -> {
            try {
                EtcdSnapshots.Record r = EtcdSnapshots.fetch(session.host(member.name()), w.spec(), member, target,
                        w.state(), context.clock());
                context.out().println("backup: " + target + " (0600) from " + member.name() + ": revision "
                        + r.revision() + ", " + r.totalKey() + " keys, " + r.size() + " bytes, sha256 " + r.sha256());
                context.out().println("record: " + EtcdSnapshots.recordOf(target));
                context.out().flush();
                return ExitCodes.OK;
            } catch (SshException | EtcdSnapshots.SnapshotException e) {
                context.err().println("backup: " + e.getMessage());
                context.err().flush();
                return ExitCodes.PROBLEMS;
            }
        });
    }
}
