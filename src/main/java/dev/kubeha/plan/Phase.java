package dev.kubeha.plan;

import dev.kubeha.model.Printable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A named stage of a workflow: its steps start once what it needs is done (on the same host or on every host).
 *
 * @param name stable name used by --only and --skip (e.g. {@code etcd})
 * @param title what an operator reads
 * @param steps steps of every host; one host's steps run in this order
 * @param oneHostAtATime true when hosts must go one after another (control planes joining), else in parallel
 * @param needs the earlier phases of the plan it waits for
 * @param lane the host's line of work it runs in: a host runs one step at a time per lane, and phases of different
 *             lanes may run on it at the same time (package downloads beside the load balancer's set-up)
 */
public record Phase(String name, String title, List<Step> steps, boolean oneHostAtATime, List<Need> needs,
                    String lane) {
    /** The lane of every phase that names none. */
    public static final String MAIN_LANE = "main";

    public Phase {
        title = Printable.of(title);
        steps = List.copyOf(steps);
        needs = List.copyOf(needs);
        if (lane.isBlank()) {
            throw new IllegalArgumentException("phase " + name + " has no lane");
        }
    }

    public static Phase parallel(String name, String title, List<Step> steps) {
        return new Phase(name, title, steps, false, List.of(), MAIN_LANE);
    }

    public static Phase serial(String name, String title, List<Step> steps) {
        return new Phase(name, title, steps, true, List.of(), MAIN_LANE);
    }

    public Phase needing(List<Need> what) {
        return new Phase(name, title, steps, oneHostAtATime, what, lane);
    }

    public Phase inLane(String which) {
        return new Phase(name, title, steps, oneHostAtATime, needs, which);
    }

    /** Host names in the order their first step appears. */
    public Set<String> hosts() {
        Set<String> hosts = new LinkedHashSet<>();
        steps.forEach(s -> hosts.add(s.host()));
        return hosts;
    }

    public List<Step> stepsOf(String host) {
        return steps.stream().filter(s -> s.host().equals(host)).toList();
    }
}
