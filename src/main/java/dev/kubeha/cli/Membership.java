package dev.kubeha.cli;

import dev.kubeha.install.AppliedRecord;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.plan.MembershipOptions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The hosts that join and leave as plan and apply show them, with the options that allow what is refused. */
final class Membership {
    static final Option ALLOW_REMOVAL = Option.flag("--allow-removal",
            "Remove the hosts the answers no longer list: drain, delete from the cluster, kubeadm reset.");
    static final Option ALLOW_EVEN = Option.flag("--allow-even",
            "Let etcd pass through an even member count (on the way to the next odd one).");
    static final Option ALLOW_UNREACHABLE = Option.value(null, MembershipOptions.ALLOW_UNREACHABLE, "NAMES",
            "Remove these leaving hosts (comma-separated) although they cannot be reached: nothing runs on them,"
                    + " they are drained and deleted through the API and left uncleaned.");
    static final Option DRAIN_TIMEOUT = Option.value(null, "--drain-timeout", "DURATION",
            "How long kubectl drain may wait for evictions (PodDisruptionBudgets) before the removal fails,"
                    + " e.g. 90s, 10m, 1h (default 5m).");
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([smh])");

    private Membership() {
    }

    static ClusterChange.Allowed allowed(Arguments args) {
        return new ClusterChange.Allowed(args.flag(ALLOW_REMOVAL.name()), args.flag(ALLOW_EVEN.name()));
    }

    static ClusterChange change(Workspace w) {
        return AppliedRecord.changeTo(w.state(), w.spec());
    }

    /** The drain timeout and the hosts given up as unreachable; a usage error for a malformed value. */
    static MembershipOptions options(Arguments args, String command) throws UsageException {
        Duration timeout = MembershipOptions.DEFAULT_DRAIN_TIMEOUT;
        var text = args.value(DRAIN_TIMEOUT.name());
        if (text.isPresent()) {
            Matcher m = DURATION.matcher(text.get());
            if (!m.matches()) {
                throw new UsageException(command, "option '" + DRAIN_TIMEOUT.name() + "': '" + text.get()
                        + "' is not a duration such as 90s, 10m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            timeout = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        Set<String> unreachable = new LinkedHashSet<>();
        for (String value : args.values(ALLOW_UNREACHABLE.name())) {
            for (String name : value.split(",", -1)) {
                if (name.isBlank()) {
                    throw new UsageException(command, "option '" + ALLOW_UNREACHABLE.name() + "': an empty host"
                            + " name in '" + value + "'");
                }
                unreachable.add(name.strip());
            }
        }
        return new MembershipOptions(timeout, unreachable);
    }

    /** What stays on the hosts given up as unreachable, as apply says it before and after the run. */
    static void printNotCleaned(Map<String, List<String>> notCleaned, CliContext context) {
        notCleaned.forEach((host, titles) -> context.err().println("warning: " + host + " is given up as"
                + " unreachable: kubeha did not run on it: " + String.join("; ", titles) + ". Wipe or reinstall it"
                + " before it is powered on again: its kubelet, haproxy, keepalived and etcd would still try to"
                + " take part in the cluster"));
        context.err().flush();
    }
}
