package dev.kubeha.facts;

import dev.kubeha.model.ShellQuote;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostLayout;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Probes one host with the read-only script probe.sh (where its output keys are documented) and parses its output. */
public final class FactsProbe {
    /** The Kubernetes and etcd ports whose listeners are reported; the load balancer's port is added per cluster. */
    public static final List<Integer> KUBERNETES_PORTS = List.of(6443, 2379, 2380, 10250, 10257, 10259);
    public static final List<String> IPVS_MODULES = List.of("ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh");
    public static final List<String> MODULES = List.of("overlay", "br_netfilter", "ip_vs", "ip_vs_rr", "ip_vs_wrr",
            "ip_vs_sh", ConntrackModule.MERGED, ConntrackModule.LEGACY_IPV4, "nf_tables");
    /** How the first line of every file kubeha renders begins. */
    public static final String MARKER = "# Rendered by kubeha";
    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String ENTRY_POINT = "probe_host";
    private static final String BODY = resource();
    private static final Pattern VERSION_WORD = Pattern.compile("(?:^|\\s)v?(\\d+\\.\\d+\\.\\d+)");
    private static final Pattern SECONDS = Pattern.compile("(\\d+)(?:\\.(\\d*))?.*");
    private static final Set<String> DEBIAN_LIKE = Set.of("debian", "ubuntu");
    private static final Set<String> RHEL_LIKE = Set.of("rhel", "fedora", "centos", "rocky", "almalinux");
    private static final List<String> REQUIRED = List.of("clock.start", "os.id", "kernel", "machine", "hostname",
            "cpus", "mem.kb", "cgroup.fs");

    private FactsProbe() {
    }

    /** How the probe's command reaches the host: on its own, or in one command with other work before it. */
    @FunctionalInterface
    public interface Runner {
        ExecResult run(RemoteCommand probe) throws SshException;
    }

    /** The ports whose listeners the probe reports: Kubernetes', etcd's and the load balancer's. */
    public static List<Integer> ports(ClusterSpec spec) {
        List<Integer> ports = new ArrayList<>(KUBERNETES_PORTS);
        if (!ports.contains(spec.loadBalancer().port())) {
            ports.add(spec.loadBalancer().port());
        }
        return ports;
    }

    /** The whole script for a cluster: the same for every host. */
    public static String script(ClusterSpec spec) {
        return script(spec, ENTRY_POINT);
    }

    /** The script's parameters and functions, followed by {@code entryPoint} (one of its functions). */
    static String script(ClusterSpec spec, String entryPoint) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("KUBEHA_PORTS", ports(spec).stream().map(String::valueOf).collect(Collectors.joining(" ")));
        parameters.put("KUBEHA_MODULES", String.join(" ", MODULES));
        parameters.put("KUBEHA_SYSCTLS", String.join(" ", HostLayout.OPTIONAL_SYSCTLS.keySet()));
        parameters.put("KUBEHA_ETCD_DATA", spec.etcd().dataDir());
        parameters.put("KUBEHA_MARKER", MARKER);
        parameters.put("KUBEHA_ETCD_UNIT", HostLayout.ETCD_UNIT);
        parameters.put("KUBEHA_HAPROXY_CFG", HostLayout.HAPROXY_CONFIG);
        parameters.put("KUBEHA_KEEPALIVED_CFG", HostLayout.KEEPALIVED_CONFIG);
        StringBuilder s = new StringBuilder();
        parameters.forEach((k, v) -> s.append(k).append('=').append(ShellQuote.quote(v)).append('\n'));
        return s.append(BODY).append('\n').append(entryPoint).append('\n').toString();
    }

    /**
     * Runs the probe on a host and parses what it printed.
     *
     * @param clock the jump host's clock, read just before and just after the command
     */
    public static ProbedHost probe(RemoteHost remote, ClusterSpec spec, HostSpec host, Clock clock)
            throws FactsException {
        return probe(command -> remote.run(command, line -> { }), spec, host, clock);
    }

    /** The same, with the probe's command run by {@code runner}. */
    public static ProbedHost probe(Runner runner, ClusterSpec spec, HostSpec host, Clock clock)
            throws FactsException {
        ExecResult result;
        Instant before = clock.instant();
        try {
            result = runner.run(RemoteCommand.probe(script(spec), TIMEOUT));
        } catch (SshException e) {
            throw new FactsException(host.name() + ": cannot probe facts: " + e.getMessage(), e);
        }
        Instant after = clock.instant();
        if (!result.ok()) {
            throw new FactsException(host.name() + ": the facts probe exited with " + result.exitCode()
                    + tail(result.stderr()));
        }
        return parse(spec, host, result.stdout(), result.stderr(), before, after);
    }

    /**
     * The facts in a probe's output.
     *
     * @param before the jump host's clock just before the probe was started
     * @param after the jump host's clock just after it ended
     */
    public static ProbedHost parse(ClusterSpec spec, HostSpec host, String stdout, String stderr, Instant before,
                                   Instant after) throws FactsException {
        Map<String, List<String>> values = keyValues(stdout);
        if (!values.containsKey("probe.end")) {
            throw new FactsException(host.name() + ": the facts probe did not run to its end" + tail(stderr));
        }
        List<String> missing = REQUIRED.stream().filter(k -> !values.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw new FactsException(host.name() + ": the facts probe found no " + String.join(", ", missing)
                    + tail(stderr));
        }
        String kernel = one(values, "kernel");
        String osId = one(values, "os.id");
        Optional<Instant> start = instant(one(values, "clock.start"));
        if (start.isEmpty()) {
            throw new FactsException(host.name() + ": cannot read the host's clock: '" + one(values, "clock.start")
                    + "'");
        }
        Duration hostRun = instant(one(values, "clock.end")).map(end -> Duration.between(start.get(), end))
                .orElse(Duration.ZERO);
        Duration roundTrip = Duration.between(before, after);
        Duration away = roundTrip.minus(clamp(hostRun, roundTrip));
        Duration offset = Duration.between(before.plus(away.dividedBy(2)), start.get());

        Set<String> modules = new TreeSet<>();
        values.getOrDefault("module", List.of()).forEach(m -> modules.add(firstWord(m)));
        Optional<String> conntrack = modules.contains(ConntrackModule.MERGED) ? Optional.of(ConntrackModule.MERGED)
                : modules.contains(ConntrackModule.LEGACY_IPV4) ? Optional.of(ConntrackModule.LEGACY_IPV4)
                : Optional.empty();
        Optional<String> container = optional(values, "container");
        List<NetInterface> interfaces = interfaces(values.getOrDefault("addr", List.of()));
        HostFacts facts = new HostFacts(one(values, "hostname"), family(host, values), osId, one(values, "os.version"),
                kernel, arch(one(values, "machine")), (int) number(host, values, "cpus"),
                number(host, values, "mem.kb") / 1024, optional(values, "swap.kb").map(Long::parseLong).orElse(0L) / 1024,
                cgroupVersion(host, one(values, "cgroup.fs")), one(values, "machine-id"),
                container.isPresent() ? "" : one(values, "product-uuid").toLowerCase(Locale.ROOT), interfaces,
                optional(values, "containerd").flatMap(FactsProbe::versionWord),
                ConntrackModule.choose(conntrack, kernel),
                values.getOrDefault("sysctl", List.of()).stream()
                        .filter(HostLayout.OPTIONAL_SYSCTLS::containsKey).collect(Collectors.toSet()),
                false);
        Set<String> kubeha = Set.copyOf(values.getOrDefault("kubeha", List.of()));
        ProbedHost.Installed installed = new ProbedHost.Installed(values.containsKey("etcd.data"),
                values.getOrDefault("k8s.file", List.of()), optional(values, "kubelet").flatMap(FactsProbe::versionWord),
                kubeha.contains("etcd-unit"), kubeha.contains("haproxy"), kubeha.contains("keepalived"));
        Optional<InetAddress> vip = IpLiteral.parse(spec.loadBalancer().vip());
        boolean vipOnInterface = vip.isPresent() && interfaces.stream().anyMatch(i -> i.carries(vip.get()));
        return new ProbedHost(facts, offset, away.dividedBy(2), one(values, "pid1"), container, modules,
                listeners(values.getOrDefault("listen", List.of())), installed, vipOnInterface);
    }

    private static Map<String, List<String>> keyValues(String stdout) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    private static String one(Map<String, List<String>> values, String key) {
        return values.getOrDefault(key, List.of("")).get(0);
    }

    private static Optional<String> optional(Map<String, List<String>> values, String key) {
        return Optional.of(one(values, key)).filter(v -> !v.isEmpty());
    }

    private static long number(HostSpec host, Map<String, List<String>> values, String key) throws FactsException {
        try {
            return Long.parseLong(one(values, key));
        } catch (NumberFormatException e) {
            throw new FactsException(host.name() + ": the facts probe's " + key + " is not a number: '"
                    + one(values, key) + "'");
        }
    }

    private static OsFamily family(HostSpec host, Map<String, List<String>> values) throws FactsException {
        List<String> names = new ArrayList<>(List.of(one(values, "os.id")));
        names.addAll(List.of(one(values, "os.like").split("\\s+")));
        if (names.stream().anyMatch(DEBIAN_LIKE::contains)) {
            return OsFamily.DEBIAN;
        }
        if (names.stream().anyMatch(RHEL_LIKE::contains)) {
            return OsFamily.RHEL;
        }
        List<String> packageManagers = values.getOrDefault("pkg", List.of());
        if (packageManagers.equals(List.of("dpkg"))) {
            return OsFamily.DEBIAN;
        }
        if (packageManagers.equals(List.of("rpm"))) {
            return OsFamily.RHEL;
        }
        throw new FactsException(host.name() + ": '" + one(values, "os.id") + "' is neither a Debian- nor a "
                + "RHEL-family system (os-release ID_LIKE '" + one(values, "os.like") + "', package managers: "
                + (packageManagers.isEmpty() ? "none" : String.join(", ", packageManagers)) + ")");
    }

    private static int cgroupVersion(HostSpec host, String filesystem) throws FactsException {
        return switch (filesystem) {
            case "cgroup2fs" -> 2;
            case "tmpfs" -> 1;
            default -> throw new FactsException(host.name() + ": /sys/fs/cgroup is a '" + filesystem
                    + "' filesystem, neither cgroup2fs (cgroup v2) nor tmpfs (cgroup v1)");
        };
    }

    /** uname -m to the architecture names Kubernetes and etcd releases use. */
    static String arch(String machine) {
        return switch (machine) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> machine;
        };
    }

    private static List<NetInterface> interfaces(List<String> lines) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split("\\s+");
            if (f.length == 2) {
                byName.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
            }
        }
        return byName.entrySet().stream().map(e -> new NetInterface(e.getKey(), e.getValue())).toList();
    }

    private static Map<Integer, Set<String>> listeners(List<String> lines) {
        Map<Integer, Set<String>> out = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.split("\\s+");
            if (f.length == 2 && f[0].matches("\\d{1,5}")) {
                Set<String> processes = out.computeIfAbsent(Integer.parseInt(f[0]), k -> new TreeSet<>());
                if (!f[1].equals("-")) {
                    processes.add(f[1]);
                }
            }
        }
        return out;
    }

    /** The first MAJOR.MINOR.PATCH word of a --version line (containerd containerd.io 1.7.27 05044ec...). */
    static Optional<String> versionWord(String line) {
        Matcher m = VERSION_WORD.matcher(line);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** date +%s.%N; a date without %N prints a letter there, which leaves whole seconds. */
    static Optional<Instant> instant(String text) {
        Matcher m = SECONDS.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String fraction = m.group(2) == null || m.group(2).isEmpty() ? "0" : m.group(2);
        BigDecimal nanos = new BigDecimal("0." + fraction).movePointRight(9);
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(m.group(1)), nanos.longValue()));
    }

    private static Duration clamp(Duration value, Duration max) {
        return value.isNegative() ? Duration.ZERO : value.compareTo(max) > 0 ? max : value;
    }

    private static String firstWord(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    private static String tail(String stderr) {
        String text = stderr == null ? "" : stderr.strip();
        if (text.isEmpty()) {
            return "";
        }
        List<String> lines = text.lines().toList();
        return ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    private static String resource() {
        try (InputStream in = FactsProbe.class.getResourceAsStream("probe.sh")) {
            if (in == null) {
                throw new IllegalStateException("probe.sh is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
