package dev.kubeha.plan;

import java.util.List;
import java.util.Optional;

/** The install, in order: the one list of phases (k0sctl's action/apply.go in spirit). */
public final class Planner {
    private static final List<PhaseBuilder> PHASES = List.of(new PrepareOs(), new InstallLoadBalancer(), new VerifyVip(),
            new InstallEtcd(), new StartEtcd(), new InstallRuntime(), new InstallKubernetes(), new PullImages(),
            new InitControlPlane(), new JoinNodes.Credentials(), new JoinNodes.ControlPlanes(), new JoinNodes.Workers(),
            new InstallNetwork(), new InstallKubePrometheus(), new VerifyCluster());

    private Planner() {
    }

    /** Every phase name in install order, for --only and --skip. */
    public static List<String> phaseNames() {
        return PHASES.stream().map(PhaseBuilder::name).toList();
    }

    public static Plan plan(PlanInput input) {
        return new Plan(PHASES.stream().map(p -> p.build(input)).flatMap(Optional::stream).toList());
    }
}
