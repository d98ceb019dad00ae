import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.exec.Cancellation;
import dev.kubeha.exec.Executor;
import dev.kubeha.exec.FanOut;
import dev.kubeha.exec.HostLogs;
import dev.kubeha.exec.Journal;
import dev.kubeha.exec.Redactor;
import dev.kubeha.exec.RunResult;
import dev.kubeha.facts.FactsProbe;
import dev.kubeha.facts.Preflight;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.facts.ProbedHost;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.plan.Phase;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.RunCommand;
import dev.kubeha.plan.Step;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.ssh.KnownHosts;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SecretPrompt;
import dev.kubeha.ssh.SshHosts;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.ssh.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Bench driver of kubeha's real engine: the step-overhead plan and the facts+preflight fan-out, timed in-process. */
public final class EngineBench {
    private static final int STEPS_PER_HOST = 20;

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: EngineBench steps|facts|install|script KEY_FILE WARMUP RUNS ADDRESS...");
            System.exit(2);
        }
        String mode = args[0];
        if (mode.equals("script")) {
            Path dir = Files.createTempDirectory("kubeha-bench");
            System.out.print(FactsProbe.script(spec(Arrays.asList(args).subList(4, args.length), dir)));
            Files.delete(dir.resolve("answers.yaml"));
            Files.delete(dir);
            return;
        }
        Path key = Path.of(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        List<String> addresses = Arrays.asList(args).subList(4, args.length);
        Path work = Files.createTempDirectory("kubeha-bench");
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            Path runDir = Files.createDirectory(work.resolve("run" + i));
            long started = System.nanoTime();
            String detail = switch (mode) {
                case "steps" -> steps(key, addresses, runDir);
                case "facts" -> facts(key, addresses, runDir);
                case "install" -> install(key, addresses, runDir);
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            };
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (i >= warmup) {
                times.add(ms);
            }
            System.err.println(mode + " run " + (i + 1) + (i < warmup ? " (warm-up)" : "") + ": " + ms + " ms, "
                    + detail);
        }
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        System.out.println(times.stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse(""));
    }

    private static SshHosts hosts(Path runDir) {
        SshSettings defaults = SshSettings.defaults(runDir, HostKeyPolicy.ACCEPT_NEW, SecretPrompt.NONE);
        return new SshHosts(new SshSettings(new KnownHosts(runDir.resolve("known_hosts"), List.of()),
                HostKeyPolicy.ACCEPT_NEW, SecretPrompt.NONE, defaults.connectTimeout(), defaults.authTimeout(),
                defaults.keepAlive(), Optional.empty()));
    }

    /** The SSH port of every address: 22 on the lab; bench/loopback.sh runs its sshd on another (-Dbench.port). */
    private static final int PORT = Integer.getInteger("bench.port", 22);

    private static SshTarget target(String address, Path key) {
        return new SshTarget(address, PORT, "root", Optional.of(key), Optional.empty());
    }

    /** 20 RunCommand.always("/bin/true") steps per host in one parallel phase, run by the Executor. */
    private static String steps(Path key, List<String> addresses, Path runDir) throws Exception {
        List<Step> steps = new ArrayList<>();
        for (String address : addresses) {
            for (int s = 1; s <= STEPS_PER_HOST; s++) {
                steps.add(Step.of("bench.true." + s, "/bin/true #" + s, address,
                        List.of(RunCommand.always("/bin/true"))));
            }
        }
        Plan plan = new Plan(List.of(Phase.parallel("bench", "20 trivial steps per host", steps)));
        try (SshHosts ssh = hosts(runDir); HostLogs logs = new HostLogs(runDir.resolve("logs"))) {
            RunResult result = new Executor(name -> ssh.host(name, target(name, key)),
                    new Journal(runDir.resolve("journal"), Clock.systemUTC()), logs, Redactor.none(),
                    Clock.systemUTC(), Executor.Settings.DEFAULTS).run(plan, new Cancellation());
            if (!result.ok()) {
                throw new IllegalStateException("the plan failed: " + result.failures());
            }
        }
        return steps.size() + " steps done";
    }

    /**
     * The release-binary step of apply on every address at once (loopback only: every "host" is this machine):
     * a release .tar.gz of -Dbench.binaryMiB random bytes (default 24, about etcd's size), checked and unpacked
     * once, then installed into a directory of its own per host by the Executor, up to 32 hosts at once.
     */
    private static String install(Path key, List<String> addresses, Path runDir) throws Exception {
        int mib = Integer.getInteger("bench.binaryMiB", 24);
        Path tree = Files.createDirectories(runDir.resolve("release/etcd-v0-linux-amd64"));
        byte[] block = new byte[1 << 20];
        java.util.Random random = new java.util.Random(1);
        try (var out = Files.newOutputStream(tree.resolve("etcd"))) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        Path archive = runDir.resolve("release.tar.gz");
        Process tar = new ProcessBuilder("tar", "-C", runDir.resolve("release").toString(), "-czf",
                archive.toString(), "etcd-v0-linux-amd64").inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IllegalStateException("tar failed");
        }
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        try (var in = new java.security.DigestInputStream(Files.newInputStream(archive), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        String sha = java.util.HexFormat.of().formatHex(digest.digest());
        Map<String, String> reach = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String name = "h" + (i + 1);
            reach.put(name, addresses.get(i));
            steps.add(Step.of("bench.etcd", "install etcd", name, List.of(new dev.kubeha.plan.InstallFromArchive(
                    archive.toString(), sha, List.of("etcd"), runDir.resolve("hosts/" + name).toString()))));
        }
        Plan plan = new Plan(List.of(Phase.parallel("bench", "release binaries on every host", steps)));
        try (SshHosts ssh = hosts(runDir); HostLogs logs = new HostLogs(runDir.resolve("logs"))) {
            RunResult result = new Executor(name -> ssh.host(name, target(reach.get(name), key)),
                    new Journal(runDir.resolve("journal"), Clock.systemUTC()), logs, Redactor.none(),
                    Clock.systemUTC(), Executor.Settings.DEFAULTS).run(plan, new Cancellation());
            if (!result.ok()) {
                throw new IllegalStateException("the plan failed: " + result.failures());
            }
        }
        long installed = 0;
        for (String name : reach.keySet()) {
            installed += Files.size(runDir.resolve("hosts/" + name + "/etcd"));
        }
        return steps.size() + " hosts, " + (installed >> 20) + " MiB installed";
    }

    /** Connect, facts probe and preflight on every address, fanned out as kubeha apply does (at most 32 at once). */
    private static String facts(Path key, List<String> addresses, Path runDir) throws Exception {
        ClusterSpec spec = spec(addresses, runDir);
        Map<String, HostSpec> specs = new LinkedHashMap<>();
        spec.hosts().forEach(h -> specs.put(h.name(), h));
        Map<String, String> reach = new LinkedHashMap<>();
        for (int i = 0; i < addresses.size(); i++) {
            reach.put("h" + (i + 1), addresses.get(i));
        }
        try (SshHosts ssh = hosts(runDir)) {
            Map<String, FanOut.Outcome<ProbedHost>> probed = new FanOut(32).run(specs.keySet(), name -> {
                RemoteHost host = ssh.host(name, target(reach.get(name), key));
                host.connect();
                return FactsProbe.probe(host, spec, specs.get(name), Clock.systemUTC());
            });
            Map<String, ProbedHost> facts = new LinkedHashMap<>();
            probed.forEach((name, outcome) -> {
                if (!outcome.ok()) {
                    throw new IllegalStateException(name + ": " + outcome.error());
                }
                facts.put(name, outcome.value());
            });
            List<PreflightResult> checks = Preflight.check(spec, facts);
            long passed = checks.stream().filter(c -> c.status() == PreflightResult.Status.PASS).count();
            return facts.size() + " hosts probed, preflight " + passed + " of " + checks.size() + " passed";
        }
    }

    /**
     * A valid answers file for the addresses: the first is a stacked control plane, the others workers. A loopback
     * address (bench/loopback.sh) cannot be a node's address, so the answers name one of 198.18.0.0/15 (the
     * benchmarking range) in its place; SSH still goes to the loopback address.
     */
    private static ClusterSpec spec(List<String> addresses, Path runDir) throws Exception {
        StringBuilder yaml = new StringBuilder("ssh: {user: root, identityFile: /dev/null}\nhosts:\n");
        for (int i = 0; i < addresses.size(); i++) {
            String address = addresses.get(i).startsWith("127.") ? "198.18." + (i / 250) + "." + (i % 250 + 1)
                    : addresses.get(i);
            yaml.append("  - {name: h").append(i + 1).append(", address: ").append(address)
                    .append(", roles: [").append(i == 0 ? "control-plane, worker" : "worker").append("]}\n");
        }
        Path file = runDir.resolve("answers.yaml");
        Files.writeString(file, yaml);
        CheckedAnswers checked = CheckedAnswers.of(AnswersFile.load(file), LocalDate.now());
        return checked.validSpec().orElseThrow(() -> new IllegalStateException("bench answers invalid: "
                + checked.problems()));
    }
}
