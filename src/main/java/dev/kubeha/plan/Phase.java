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
 */
public record Phase(String name, String title, List<Step> steps, boolean oneHostAtATime, List<Need> needs) {
    public Phase {
        title = Printable.of(title);
        steps = List.copyOf(steps);
        needs = List.copyOf(needs);
    }

    public static Phase parallel(String name, String title, List<Step> steps) {
        return new Phase(name, title, steps, false, List.of());
    }

    public static Phase serial(String name, String title, List<Step> steps) {
        return new Phase(name, title, steps, true, List.of());
    }

    public Phase needing(List<Need> what) {
        return new Phase(name, title, steps, oneHostAtATime, what);
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
