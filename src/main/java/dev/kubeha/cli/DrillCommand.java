package dev.kubeha.cli;

import dev.kubeha.install.DrillReport;
import dev.kubeha.install.DrillTargets;
import dev.kubeha.plan.Drill;
import dev.kubeha.plan.DrillInput;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code kubeha drill}: proves the HA on a healthy cluster, puts back what it stopped, prints measured seconds. */
public final class DrillCommand implements Command {
    static final Option VIP = Option.flag("--vip", "Stop haproxy on the VIP holder; measure failover and failback.");
    static final Option ETCD = Option.flag("--etcd", "Stop the etcd leader; writes must go on; measure its restart.");
    static final Option CONTROL_PLANE = Option.flag("--control-plane",
            "Stop one kube-apiserver; /healthz through the VIP must keep answering.");
    static final Option ROUNDS = Option.value(null, "--rounds", "N", "How often the VIP drill runs (default 1).");
    static final Option OUTPUT = Option.value("-o", "--output", "FORMAT", "text or json.").choices("text", "text",
            "json");

    @Override
    public String name() {
        return "drill";
    }

    @Override
    public String summary() {
        return "Prove the HA on demand: VIP, etcd and control-plane drills with measured seconds against targets.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, VIP, ETCD, CONTROL_PLANE, ROUNDS, OUTPUT, ApplyCommand.ACCEPT_NEW,
                ApplyCommand.BREAK_LOCK, Workspace.STATE_DIR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Without --vip, --etcd or --control-plane every drill runs. Nothing is stopped unless the",
                "health phase passes; each drill starts what it stopped again on its host, also when it fails or is",
                "cancelled. Targets: /healthz through the VIP again <= " + DrillReport.VIP_TARGET_SECONDS + " s"
                        + " (median), etcd member healthy <= " + DrillReport.ETCD_TARGET_SECONDS + " s with no"
                        + " failed write, /healthz outage <= " + DrillReport.CONTROL_PLANE_TARGET_SECONDS + " s.",
                "Exit codes: 0 every target met, 1 a target missed or a drill failed, 2 usage error.");
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        int rounds = args.value(ROUNDS.name()).map(DrillCommand::rounds).orElse(1);
        Set<String> drills = new LinkedHashSet<>();
        if (args.flag(VIP.name())) {
            drills.add(Drill.VIP);
        }
        if (args.flag(ETCD.name())) {
            drills.add(Drill.ETCD);
        }
        if (args.flag(CONTROL_PLANE.name())) {
            drills.add(Drill.CONTROL_PLANE);
        }
        if (drills.isEmpty()) {
            drills.addAll(List.of(Drill.VIP, Drill.ETCD, Drill.CONTROL_PLANE));
        }
        Optional<Workspace> opened = Workspace.open(args, context);
        if (opened.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        Workspace w = opened.get();
        boolean json = "json".equals(args.value(OUTPUT));
        DrillReport report = new DrillReport();
        return WorkflowRun.run(args, context, w, Drill.WORKFLOW, session -> new DrillInput(w.spec(), drills, rounds,
                drills.contains(Drill.VIP) ? DrillTargets.vipHolder(w.spec(), session::host) : Optional.empty(),
                drills.contains(Drill.ETCD) ? DrillTargets.etcdLeader(w.spec(), session::host) : Optional.empty(),
                w.cluster().clusterCa().certificatePem()), report, (session, plan) -> {
                    context.out().print(json ? report.json() + "\n" : report.table());
                    context.out().flush();
                    return report.ok() ? ExitCodes.OK : ExitCodes.PROBLEMS;
                });
    }

    private static int rounds(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
