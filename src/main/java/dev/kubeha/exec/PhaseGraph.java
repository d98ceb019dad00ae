package dev.kubeha.exec;

import dev.kubeha.plan.Need;
import dev.kubeha.plan.Phase;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The executor's schedule of one plan: a task is one host's steps of one phase, and it may start once every task it
 * needs is done (what its phase needs on its host, on its phase's hosts or on every host, and in a one-host-at-a-time phase the host before
 * it) and its host's lane is idle (a host runs one task per lane at a time). A failed task blocks what needs it,
 * directly or not, and nothing else. Not thread-safe: only the executor's coordinating thread uses it.
 */
final class PhaseGraph {
    /** One host's steps of one phase, in order. */
    record Task(Phase phase, int phaseIndex, String host, List<Step> steps) {
        /** The host's lane the task occupies while it runs. */
        String lane() {
            return host + "\u0000" + phase.lane();
        }
    }

    /** Where a task stands. */
    enum State { WAITING, RUNNING, DONE, FAILED, BLOCKED, STOPPED }

    private final List<Task> tasks = new ArrayList<>();
    private final Map<Task, List<Task>> needs = new HashMap<>();
    private final Map<Task, List<Task>> dependants = new HashMap<>();
    private final Map<Task, State> states = new HashMap<>();
    private final Set<String> busyLanes = new HashSet<>();
    private final Set<String> startedPhases = new HashSet<>();
    private final Set<String> endedPhases = new HashSet<>();

    PhaseGraph(Plan plan) {
        Map<String, Map<String, Task>> byPhase = new LinkedHashMap<>();
        List<Phase> phases = plan.phases();
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            Map<String, Task> ofHost = new LinkedHashMap<>();
            Task previous = null;
            Set<String> hosts = phase.hosts();
            for (String host : hosts) {
                Task task = new Task(phase, i, host, phase.stepsOf(host));
                List<Task> required = new ArrayList<>();
                for (Need need : phase.needs()) {
                    byPhase.get(need.phase()).forEach((neededHost, needed) -> {
                        if (need.covers(neededHost, host, hosts)) {
                            required.add(needed);
                        }
                    });
                }
                if (phase.oneHostAtATime() && previous != null) {
                    required.add(previous);
                }
                needs.put(task, List.copyOf(required));
                required.forEach(r -> dependants.computeIfAbsent(r, k -> new ArrayList<>()).add(task));
                states.put(task, State.WAITING);
                tasks.add(task);
                ofHost.put(host, task);
                previous = task;
            }
            byPhase.put(phase.name(), ofHost);
        }
    }

    /**
     * The tasks to start now, at most {@code slots}: each the earliest waiting task (in plan order) of an idle lane of
     * its host whose needs are all done. They count as running from here on.
     */
    List<Task> start(int slots) {
        List<Task> starting = new ArrayList<>();
        for (Task task : tasks) {
            if (starting.size() >= slots) {
                break;
            }
            if (states.get(task) == State.WAITING && !busyLanes.contains(task.lane())
                    && needs.get(task).stream().allMatch(n -> states.get(n) == State.DONE)) {
                states.put(task, State.RUNNING);
                busyLanes.add(task.lane());
                starting.add(task);
            }
        }
        return starting;
    }

    /** Whether this is the first of its phase's tasks to start (its phase begins). */
    boolean firstOfPhase(Task task) {
        return startedPhases.add(task.phase().name());
    }

    /** Records how a running task ended; a failure blocks every task that needs it, directly or not. */
    void finished(Task task, State end) {
        if (end == State.WAITING || end == State.RUNNING || end == State.BLOCKED) {
            throw new IllegalArgumentException("a task ends done, failed or stopped: " + end);
        }
        states.put(task, end);
        busyLanes.remove(task.lane());
        if (end != State.FAILED) {
            return;
        }
        Deque<Task> blocked = new ArrayDeque<>(dependants.getOrDefault(task, List.of()));
        while (!blocked.isEmpty()) {
            Task next = blocked.pop();
            if (states.get(next) == State.WAITING) {
                states.put(next, State.BLOCKED);
                blocked.addAll(dependants.getOrDefault(next, List.of()));
            }
        }
    }

    /**
     * The phases that began and have just come to an end (every task done, failed or blocked), each once, with
     * whether all of its tasks are done; with {@code all}, every phase that began and has not been reported yet.
     */
    Map<String, Boolean> ended(boolean all) {
        Map<String, Boolean> ended = new LinkedHashMap<>();
        Map<String, List<State>> byPhase = new LinkedHashMap<>();
        tasks.forEach(t -> byPhase.computeIfAbsent(t.phase().name(), k -> new ArrayList<>()).add(states.get(t)));
        byPhase.forEach((phase, list) -> {
            boolean over = list.stream().noneMatch(s -> s == State.WAITING || s == State.RUNNING);
            if (startedPhases.contains(phase) && !endedPhases.contains(phase) && (over || all)) {
                endedPhases.add(phase);
                ended.put(phase, list.stream().noneMatch(s -> s == State.FAILED || s == State.BLOCKED));
            }
        });
        return ended;
    }
}
