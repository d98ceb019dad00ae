package dev.kubeha.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.RunFailure;
import dev.kubeha.events.StepOutcome;
import dev.kubeha.plan.Install;
import dev.kubeha.plan.InstallFromArchive;
import dev.kubeha.plan.PushFile;
import dev.kubeha.plan.Need;
import dev.kubeha.plan.Phase;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.PlanInput;
import dev.kubeha.plan.RunCommand;
import dev.kubeha.plan.Step;
import dev.kubeha.plan.Verification;
import dev.kubeha.plan.Workflow;
import dev.kubeha.plan.WriteFile;
import dev.kubeha.render.RenderedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorTest {
    @TempDir
    Path state;

    final Map<String, FakeHost> hosts = new LinkedHashMap<>();
    final List<EngineEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void hosts() {
        for (String name : List.of("a", "b", "c")) {
            hosts.put(name, new FakeHost(name));
        }
        FakeHost.MOST_BUSY.set(0);
        FakeHost.holdUntilBusy = 0;
    }

    Executor executor(Executor.Settings settings, Redactor redactor) {
        return new Executor(hosts::get, new Journal(state.resolve("journal"), Clock.systemUTC()), events::add,
                redactor, Clock.systemUTC(), settings);
    }

    RunResult run(Plan plan) {
        return executor(new Executor.Settings(8, Duration.ofMillis(1)), Redactor.none()).run(plan, new Cancellation());
    }

    static Step flagStep(String host, String flag) {
        return Step.of("flag." + flag, "set " + flag, host, List.of(RunCommand.unless("has-flag " + flag,
                "touch-flag " + flag)));
    }

    static Step fileStep(String host, String path, String text) {
        return Step.of("file." + path, "write " + path, host,
                List.of(new WriteFile(RenderedFile.text(host, path, 0644, text))));
    }

    Plan twoPhases() {
        List<Step> prepare = new ArrayList<>();
        List<Step> configure = new ArrayList<>();
        for (String h : hosts.keySet()) {
            prepare.add(flagStep(h, "swap-off"));
            prepare.add(fileStep(h, "/etc/k8s.conf", "x=1\n"));
            configure.add(flagStep(h, "service"));
        }
        return new Plan(List.of(Phase.parallel("prepare", "Prepare", prepare),
                phase("configure", configure, Need.everywhere("prepare"))));
    }

    static Phase phase(String name, List<Step> steps, Need... needs) {
        return Phase.parallel(name, name, steps).needing(List.of(needs));
    }

    List<StepOutcome> outcomes() {
        return events.stream().filter(e -> e instanceof EngineEvent.StepFinished).map(e ->
                ((EngineEvent.StepFinished) e).outcome()).toList();
    }

    @Test
    void appliesEveryStepOnceThenTheJournalSkipsThem() {
        assertTrue(run(twoPhases()).ok());
        assertEquals(9, outcomes().stream().filter(o -> o == StepOutcome.APPLIED).count());
        hosts.values().forEach(h -> assertEquals(List.of("/etc/k8s.conf"), h.writes));
        events.clear();
        hosts.values().forEach(h -> h.commands.clear());
        assertTrue(run(twoPhases()).ok());
        assertEquals(List.of(StepOutcome.JOURNALED), outcomes().stream().distinct().toList());
        hosts.values().forEach(h -> assertEquals(List.of(), h.commands));
    }

    @Test
    void checksSeeWorkAlreadyDoneOnTheHostAndChangeNothing() {
        assertTrue(run(twoPhases()).ok());
        events.clear();
        hosts.values().forEach(h -> h.writes.clear());
        state.resolve("journal").toFile().listFiles()[0].delete();
        assertTrue(run(twoPhases()).ok());
        assertTrue(outcomes().stream().noneMatch(o -> o == StepOutcome.APPLIED), outcomes().toString());
        assertTrue(outcomes().contains(StepOutcome.ALREADY_DONE));
        hosts.values().forEach(h -> assertEquals(List.of(), h.writes));
    }

    @Test
    void aChangedFileIsWrittenAgainBecauseItsFingerprintChanged() {
        assertTrue(run(twoPhases()).ok());
        Plan changed = new Plan(List.of(Phase.parallel("prepare", "Prepare",
                List.of(fileStep("a", "/etc/k8s.conf", "x=2\n")))));
        assertTrue(run(changed).ok());
        assertEquals(List.of("/etc/k8s.conf", "/etc/k8s.conf"), hosts.get("a").writes);
        assertEquals("x=2\n", hosts.get("a").files.get("/etc/k8s.conf").text());
    }

    @Test
    void everyHostsFailureIsReportedAndTheNextPhaseDoesNotStart() {
        hosts.get("a").failing.add("swap-off");
        hosts.get("c").failing.add("swap-off");
        RunResult result = run(twoPhases());
        assertFalse(result.ok());
        assertEquals(List.of("a: set swap-off (flag.swap-off): `touch-flag swap-off` exited 3: error: cannot swap-off",
                "c: set swap-off (flag.swap-off): `touch-flag swap-off` exited 3: error: cannot swap-off"),
                result.failures().stream().map(RunFailure::text).sorted().toList());
        assertTrue(hosts.get("b").flags.contains("swap-off"), "b's own steps still ran");
        assertTrue(hosts.values().stream().noneMatch(h -> h.flags.contains("service")));
        assertTrue(events.stream().noneMatch(e -> e instanceof EngineEvent.PhaseStarted p
                && p.phase().equals("configure")));
    }

    @Test
    void transientFailuresAreRetriedWithBackoff() {
        hosts.get("b").dropsLeft = 2;
        Plan plan = new Plan(List.of(Phase.parallel("p", "P", List.of(flagStep("b", "x").withAttempts(3)))));
        assertTrue(run(plan).ok());
        assertEquals(2, events.stream().filter(e -> e instanceof EngineEvent.StepRetrying).count());
        hosts.get("c").dropsLeft = 5;
        RunResult failed = run(new Plan(List.of(Phase.parallel("p", "P", List.of(flagStep("c", "y")
                .withAttempts(2))))));
        assertEquals(List.of("c: set y (flag.y): root@c:22: connection dropped"), texts(failed));
    }

    @Test
    void verificationIsPolledUntilItHoldsOrFails() {
        Step verified = Step.of("v", "verify", "a", List.of(RunCommand.unless("has-flag up", "touch-flag up")))
                .verifiedBy(Verification.within(Duration.ofMillis(50), "has-flag up"));
        assertTrue(run(new Plan(List.of(Phase.parallel("p", "P", List.of(verified))))).ok());
        Step never = Step.of("n", "never", "b", List.of()).verifiedBy(new Verification("has-flag never",
                Duration.ofMillis(300), Duration.ofMillis(10)));
        RunResult result = run(new Plan(List.of(Phase.parallel("p", "P", List.of(never)))));
        assertEquals(List.of("b: never (n): verification `has-flag never` failed"), texts(result));
        assertTrue(hosts.get("b").commands.size() >= 3, "polled: " + hosts.get("b").commands);
    }

    @Test
    void cancelledRunResumesWithoutRepeatingFinishedSteps() {
        Cancellation cancel = new Cancellation();
        Executor executor = new Executor(hosts::get, new Journal(state.resolve("journal"), Clock.systemUTC()),
                e -> {
                    events.add(e);
                    if (e instanceof EngineEvent.PhaseFinished) {
                        cancel.request();
                    }
                }, Redactor.none(), Clock.systemUTC(), Executor.Settings.DEFAULTS);
        RunResult first = executor.run(twoPhases(), cancel);
        assertTrue(first.cancelled());
        assertTrue(hosts.values().stream().noneMatch(h -> h.flags.contains("service")));
        hosts.values().forEach(h -> h.commands.clear());
        events.clear();
        assertTrue(run(twoPhases()).ok());
        hosts.values().forEach(h -> assertEquals(List.of("has-flag service", "touch-flag service"), h.commands));
    }

    @Test
    void secretsNeverReachEvents() {
        Step leaky = Step.of("leak", "leak", "a", List.of(RunCommand.always("echo token=abcdef.0123456789abcdef")));
        new Executor(hosts::get, new Journal(state.resolve("j"), Clock.systemUTC()), events::add,
                new Redactor(List.of("abcdef.0123456789abcdef")), Clock.systemUTC(), Executor.Settings.DEFAULTS)
                .run(new Plan(List.of(Phase.parallel("p", "P", List.of(leaky)))), new Cancellation());
        assertTrue(events.stream().map(Object::toString).noneMatch(s -> s.contains("0123456789abcdef")));
        assertTrue(events.stream().anyMatch(e -> e instanceof EngineEvent.OutputLine o
                && o.line().equals("token=[redacted]")));
    }

    @Test
    void hostsWorkWithinTheBoundAndSerialPhasesGoOneHostAtATime() {
        FakeHost.holdUntilBusy = 2;
        hosts.values().forEach(h -> h.latency = Duration.ofMillis(30));
        List<Step> steps = hosts.keySet().stream().map(h -> flagStep(h, "z")).toList();
        executor(new Executor.Settings(2, Duration.ofMillis(1)), Redactor.none())
                .run(new Plan(List.of(Phase.parallel("p", "P", steps))), new Cancellation());
        assertEquals(2, FakeHost.MOST_BUSY.get(), "two hosts at once (each waits for the other), never three");
        FakeHost.holdUntilBusy = 0;
        FakeHost.MOST_BUSY.set(0);
        List<Step> joins = hosts.keySet().stream().map(h -> flagStep(h, "join")).toList();
        Plan serial = new Plan(List.of(Phase.serial("join", "Join", joins)));
        assertTrue(run(serial).ok());
        assertEquals(1, FakeHost.MOST_BUSY.get());
        assertRespected(serial);
    }

    @Test
    void theOperatorCanRetryOrSkipAFailedStep() {
        hosts.get("a").failing.add("swap-off");
        List<String> asked = new ArrayList<>();
        FailureHandler retryAfterFix = (step, error) -> {
            asked.add(step.host() + " " + error);
            hosts.get("a").failing.clear();
            return FailureHandler.Decision.RETRY;
        };
        Executor executor = new Executor(hosts::get, new Journal(state.resolve("journal"), Clock.systemUTC()),
                events::add, Redactor.none(), Clock.systemUTC(), Executor.Settings.DEFAULTS, retryAfterFix);
        assertTrue(executor.run(twoPhases(), new Cancellation()).ok());
        assertEquals(List.of("a `touch-flag swap-off` exited 3: error: cannot swap-off"), asked);
        assertTrue(hosts.get("a").flags.contains("service"));

        hosts.get("b").failing.add("other");
        Step failing = flagStep("b", "other");
        events.clear();
        RunResult skipped = new Executor(hosts::get, new Journal(state.resolve("journal"), Clock.systemUTC()),
                events::add, Redactor.none(), Clock.systemUTC(), Executor.Settings.DEFAULTS,
                (step, error) -> FailureHandler.Decision.SKIP)
                .run(new Plan(List.of(Phase.parallel("p", "P", List.of(failing, flagStep("b", "after"))))),
                        new Cancellation());
        assertTrue(skipped.ok());
        assertEquals(List.of(StepOutcome.SKIPPED, StepOutcome.APPLIED), outcomes());
        assertFalse(new Journal(state.resolve("journal"), Clock.systemUTC()).isDone(failing), "skipped is not done");
    }

    @Test
    void stepsAreNumberedPerHostAcrossThePlan() {
        run(twoPhases());
        List<String> forA = events.stream().filter(e -> e instanceof EngineEvent.StepStarted s && s.host().equals("a"))
                .map(e -> ((EngineEvent.StepStarted) e).index() + "/" + ((EngineEvent.StepStarted) e).total())
                .toList();
        assertEquals(List.of("1/3", "2/3", "3/3"), forA);
    }

    /** A ustar .tar.gz with the given files under one directory, as etcd's release archives are laid out. */
    static Path releaseArchive(Path dir, Map<String, byte[]> files) throws IOException {
        Path archive = dir.resolve("release.tar.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                byte[] header = new byte[512];
                put(header, 0, "etcd-v3.6.9-linux-amd64/" + f.getKey());
                put(header, 100, "0000755");
                put(header, 108, "0000000");
                put(header, 116, "0000000");
                put(header, 124, String.format("%011o", f.getValue().length));
                put(header, 136, "00000000000");
                Arrays.fill(header, 148, 156, (byte) ' ');
                header[156] = '0';
                put(header, 257, "ustar");
                put(header, 263, "00");
                int sum = 0;
                for (byte b : header) {
                    sum += b & 0xff;
                }
                put(header, 148, String.format("%06o", sum));
                header[154] = 0;
                out.write(header);
                out.write(f.getValue());
                out.write(new byte[(512 - f.getValue().length % 512) % 512]);
            }
            out.write(new byte[1024]);
        }
        return archive;
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static Set<Path> unpackDirs() throws IOException {
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("kubeha-release-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void anExecutablePushedFileKeepsItsModeAndIsPushedAgainWhenOnlyItsModeDiffers() throws Exception {
        byte[] runc = "#!/bin/sh\necho runc\n".getBytes(StandardCharsets.UTF_8);
        Path source = Files.write(state.resolve("runc-1.4.3.amd64"), runc);
        String sha = RenderedFile.sha256(runc);
        Plan plan = new Plan(List.of(Phase.parallel("runtime", "runtime", List.of(Step.of("runtime.package",
                "install runc", "a", List.of(new PushFile(source.toString(), "/usr/local/sbin/runc", sha, 0755)))))));
        assertTrue(run(plan).ok());
        FakeHost a = hosts.get("a");
        assertEquals(0755, a.files.get("/usr/local/sbin/runc").mode());
        Assertions.assertArrayEquals(runc, a.files.get("/usr/local/sbin/runc").content());
        a.files.put("/usr/local/sbin/runc", new RenderedFile("a", "/usr/local/sbin/runc", 0644, "root", runc));
        a.writes.clear();
        RunResult again = new Executor(hosts::get, new Journal(state.resolve("journal2"), Clock.systemUTC()),
                events::add, Redactor.none(), Clock.systemUTC(), Executor.Settings.DEFAULTS).run(plan,
                new Cancellation());
        assertTrue(again.ok());
        assertEquals(List.of("/usr/local/sbin/runc"), a.writes);
        assertEquals(0755, a.files.get("/usr/local/sbin/runc").mode());
    }

    @Test
    void releaseBinariesAreUnpackedOncePrivatelyStreamedToEveryHostAndRemovedAfterTheRun() throws Exception {
        byte[] etcd = new byte[200_000];
        new Random(3).nextBytes(etcd);
        byte[] etcdctl = "#!/bin/sh\necho etcdctl\n".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("README.md", "docs\n".getBytes(StandardCharsets.UTF_8));
        members.put("etcd", etcd);
        members.put("etcdctl", etcdctl);
        Path archive = releaseArchive(Files.createDirectories(state.resolve("release")), members);
        String sha = RenderedFile.sha256(Files.readAllBytes(archive));
        Set<Path> before = unpackDirs();
        List<Step> steps = new ArrayList<>();
        for (String host : hosts.keySet()) {
            steps.add(Step.of("etcd.binaries", "install etcd", host, List.of(new InstallFromArchive(
                    archive.toString(), sha, List.of("etcd", "etcdctl"), "/usr/local/bin"))));
        }
        Plan plan = new Plan(List.of(Phase.parallel("etcd", "etcd", steps)));
        assertTrue(run(plan).ok());
        for (FakeHost host : hosts.values()) {
            Assertions.assertArrayEquals(etcd, host.files.get("/usr/local/bin/etcd").content());
            assertEquals(0755, host.files.get("/usr/local/bin/etcd").mode());
            assertEquals("root", host.files.get("/usr/local/bin/etcdctl").owner());
            assertEquals(List.of("/usr/local/bin/etcd", "/usr/local/bin/etcdctl"), host.writes);
        }
        assertEquals(before, unpackDirs(), "the unpacked binaries are removed when the run ends");

        // A fresh journal: the hosts already have byte-identical files, so nothing is uploaded again.
        events.clear();
        hosts.values().forEach(h -> h.writes.clear());
        RunResult again = new Executor(hosts::get, new Journal(state.resolve("journal2"), Clock.systemUTC()),
                events::add, Redactor.none(), Clock.systemUTC(), Executor.Settings.DEFAULTS).run(plan,
                new Cancellation());
        assertTrue(again.ok());
        assertEquals(List.of(StepOutcome.ALREADY_DONE, StepOutcome.ALREADY_DONE, StepOutcome.ALREADY_DONE),
                outcomes());
        hosts.values().forEach(h -> assertEquals(List.of(), h.writes));

        // A damaged archive fails the step on every host and leaves nothing unpacked behind.
        Plan wrong = new Plan(List.of(Phase.parallel("etcd", "etcd", List.of(Step.of("etcd.binaries2", "install",
                "a", List.of(new InstallFromArchive(archive.toString(), "0".repeat(64),
                        List.of("etcd"), "/opt/bin")))))));
        RunResult failed = run(wrong);
        assertFalse(failed.ok());
        assertTrue(texts(failed).get(0).contains("SHA-256 is " + sha), texts(failed).toString());
        assertEquals(before, unpackDirs());
    }

    @Test
    void anArchiveThatKeepsPackagedFilesAddsOnlyWhatNoPackageOwnsAndReplacesItsOwnEarlierCopies() throws Exception {
        Map<String, byte[]> plugins = new LinkedHashMap<>();
        plugins.put("LICENSE", "license\n".getBytes(StandardCharsets.UTF_8));
        plugins.put("bridge", "bridge 1.9.1\n".getBytes(StandardCharsets.UTF_8));
        plugins.put("macvlan", "macvlan 1.9.1\n".getBytes(StandardCharsets.UTF_8));
        plugins.put("vrf", "vrf 1.9.1\n".getBytes(StandardCharsets.UTF_8));
        Path archive = releaseArchive(Files.createDirectories(state.resolve("cni")), plugins);
        String sha = RenderedFile.sha256(Files.readAllBytes(archive));
        FakeHost a = hosts.get("a");
        byte[] packagedBridge = "bridge of kubernetes-cni\n".getBytes(StandardCharsets.UTF_8);
        a.upload(packagedBridge, "/opt/cni/bin/bridge", 0755, "root");
        a.upload("macvlan kubeha put there before\n".getBytes(StandardCharsets.UTF_8), "/opt/cni/bin/macvlan", 0755,
                "root");
        a.packaged.add("/opt/cni/bin/bridge");
        a.writes.clear();
        Plan plan = new Plan(List.of(Phase.parallel("runtime", "runtime", List.of(Step.of("runtime.cni-plugins",
                "CNI plugins", "a", List.of(new InstallFromArchive(archive.toString(), sha,
                        List.of("bridge", "macvlan", "vrf"), "/opt/cni/bin", true)))))));

        assertTrue(run(plan).ok());

        assertArrayEquals(packagedBridge, a.files.get("/opt/cni/bin/bridge").content(), "the package's plugin stays");
        assertArrayEquals(plugins.get("macvlan"), a.files.get("/opt/cni/bin/macvlan").content());
        assertArrayEquals(plugins.get("vrf"), a.files.get("/opt/cni/bin/vrf").content());
        assertEquals(List.of("/opt/cni/bin/macvlan", "/opt/cni/bin/vrf"), a.writes);
    }

    /** Phases with needs on the same host, on every host and one host at a time; hosts of different speeds. */
    Plan mixed() {
        hosts.get("a").latency = Duration.ofMillis(2);
        hosts.get("b").latency = Duration.ofMillis(15);
        hosts.get("c").latency = Duration.ofMillis(5);
        List<Step> os = new ArrayList<>();
        for (String h : hosts.keySet()) {
            os.add(flagStep(h, "hostname"));
            os.add(flagStep(h, "sysctl"));
        }
        return new Plan(List.of(
                phase("os", os),
                phase("lb", List.of(flagStep("c", "haproxy"), flagStep("c", "keepalived")), Need.onSameHost("os")),
                phase("vip", List.of(flagStep("c", "vip")), Need.everywhere("lb")),
                phase("etcd", List.of(flagStep("a", "etcd"), flagStep("c", "etcd")), Need.onSameHost("os")),
                phase("runtime", List.of(flagStep("a", "containerd"), flagStep("b", "containerd")),
                        Need.onSameHost("os")),
                phase("init", List.of(flagStep("a", "init")), Need.everywhere("vip"), Need.everywhere("etcd"),
                        Need.onSameHost("runtime")),
                Phase.serial("join", "join", List.of(flagStep("b", "join"), flagStep("c", "join")))
                        .needing(List.of(Need.everywhere("init"), Need.onSameHost("runtime"))),
                phase("verify", List.of(flagStep("a", "verify")), Need.everywhere("join"))));
    }

    @Test
    void noStepStartsBeforeWhatItNeedsAndEachHostRunsOneStepAtATime() {
        Plan plan = mixed();
        assertTrue(run(plan).ok());
        assertRespected(plan);
        assertEquals(plan.phaseNames(), events.stream().filter(e -> e instanceof EngineEvent.PhaseFinished f && f.ok())
                .map(e -> ((EngineEvent.PhaseFinished) e).phase()).sorted(Comparator.comparing(
                        plan.phaseNames()::indexOf)).toList(), "every phase ends once, well");
    }

    @Test
    void aSlowHostDoesNotDelayAnotherHostsIndependentNextPhase() {
        Executor executor = gatedUntil("b", "os", "a", "flag.images");
        Plan plan = new Plan(List.of(
                phase("os", List.of(flagStep("a", "os"), flagStep("b", "os"))),
                phase("runtime", List.of(flagStep("a", "runtime"), flagStep("b", "runtime")), Need.onSameHost("os")),
                phase("images", List.of(flagStep("a", "images"), flagStep("b", "images")),
                        Need.onSameHost("runtime"))));
        assertTrue(executor.run(plan, new Cancellation()).ok(), events.toString());
        assertTrue(position("a", "flag.images", EngineEvent.StepFinished.class)
                < position("b", "flag.os", EngineEvent.StepFinished.class), "a went on while b was still busy");
        assertRespected(plan);
    }

    @Test
    void aHostRunsAnotherLanesPhaseBesideItsOwnAndTheBarrierScheduleDoesNot() {
        Executor executor = gatedUntil("a", "haproxy", "a", "flag.download");
        Plan plan = new Plan(List.of(
                phase("os", List.of(flagStep("a", "os"))),
                phase("lb", List.of(flagStep("a", "haproxy"), flagStep("a", "keepalived")), Need.onSameHost("os")),
                phase("packages", List.of(flagStep("a", "download"), flagStep("a", "install")),
                        Need.onSameHost("os")).inLane("kubernetes"),
                phase("init", List.of(flagStep("a", "init")), Need.onSameHost("lb"), Need.onSameHost("packages"))));
        assertTrue(executor.run(plan, new Cancellation()).ok(), events.toString());
        assertTrue(position("a", "flag.download", EngineEvent.StepStarted.class)
                < position("a", "flag.haproxy", EngineEvent.StepFinished.class), "the download ran beside haproxy");
        assertRespected(plan);
        assertTrue(plan.withBarriers().phases().stream().allMatch(p -> p.lane().equals(Phase.MAIN_LANE)),
                "the barrier schedule runs every phase in the one lane");
    }

    @Test
    void theInstallPullsAHostsImagesWhileItsKubernetesPackagesGoInAndInitWaitsForBoth() {
        List<String> kept = List.of(Install.OS, Install.RUNTIME, Install.REPOSITORY, Install.PACKAGES, Install.IMAGES,
                Install.INIT);
        List<Phase> phases = new ArrayList<>();
        for (Workflow.Named<PlanInput> named : Install.WORKFLOW.phases()) {
            if (kept.contains(named.name())) {
                phases.add(phase(named.name(), List.of(flagStep("a", named.name())), named.needs().stream()
                        .filter(n -> kept.contains(n.phase())).toArray(Need[]::new)).inLane(named.lane()));
            }
        }
        Plan plan = new Plan(phases);
        Executor executor = gatedUntil("a", Install.PACKAGES, "a", "flag." + Install.IMAGES);
        assertTrue(executor.run(plan, new Cancellation()).ok(), events.toString());
        assertTrue(position("a", "flag." + Install.IMAGES, EngineEvent.StepFinished.class)
                < position("a", "flag." + Install.PACKAGES, EngineEvent.StepFinished.class),
                "the pull ran while the packages were installed");
        assertTrue(position("a", "flag." + Install.REPOSITORY, EngineEvent.StepFinished.class)
                < position("a", "flag." + Install.IMAGES, EngineEvent.StepStarted.class), "the pull waited for crictl");
        assertTrue(position("a", "flag." + Install.PACKAGES, EngineEvent.StepFinished.class)
                < position("a", "flag." + Install.INIT, EngineEvent.StepStarted.class), "init waited for kubeadm");
        assertRespected(plan);
    }

    @Test
    void aPhaseNeedingAnotherOnItsHostsWaitsForThoseHostsOnlyAndTheBarrierForAll() {
        Plan plan = new Plan(List.of(
                phase("etcd", List.of(flagStep("a", "member"), flagStep("c", "member"), flagStep("b", "client"))),
                phase("etcd-start", List.of(flagStep("a", "start"), flagStep("c", "start")),
                        Need.onItsHosts("etcd"))));
        Executor executor = gatedUntil("b", "client", "a", "flag.start");
        assertTrue(executor.run(plan, new Cancellation()).ok(), events.toString());
        assertTrue(position("a", "flag.start", EngineEvent.StepFinished.class)
                < position("b", "flag.client", EngineEvent.StepFinished.class), "the start did not wait for b");
        for (String member : List.of("a", "c")) {
            assertTrue(position("c", "flag.member", EngineEvent.StepFinished.class)
                    < position(member, "flag.start", EngineEvent.StepStarted.class), member + " waited for c");
            assertTrue(position("a", "flag.member", EngineEvent.StepFinished.class)
                    < position(member, "flag.start", EngineEvent.StepStarted.class), member + " waited for a");
        }
        assertRespected(plan);
        assertEquals(List.of(Need.everywhere("etcd")), plan.withBarriers().phases().get(1).needs());
    }

    @Test
    void theBarrierScheduleWaitsForEveryHostOfEachPhase() {
        Plan plan = mixed();
        RunResult result = executor(new Executor.Settings(8, Duration.ofMillis(1), Executor.Schedule.BARRIER),
                Redactor.none()).run(plan, new Cancellation());
        assertTrue(result.ok());
        assertRespected(plan.withBarriers());
        assertTrue(position("a", "flag.containerd", EngineEvent.StepStarted.class)
                > position("b", "flag.sysctl", EngineEvent.StepFinished.class), "runtime waited for the slow host");
        List<String> phaseEvents = events.stream().filter(e -> e instanceof EngineEvent.PhaseStarted
                || e instanceof EngineEvent.PhaseFinished).map(e -> e instanceof EngineEvent.PhaseStarted p
                ? "start " + p.phase() : "end " + ((EngineEvent.PhaseFinished) e).phase()).toList();
        assertEquals(List.of("start os", "end os", "start lb", "end lb", "start vip", "end vip", "start etcd",
                "end etcd", "start runtime", "end runtime", "start init", "end init", "start join", "end join", "start verify", "end verify"),
                phaseEvents);
    }

    @Test
    void aFailedStepBlocksOnlyWhatNeedsItAndTheRunResumesFromTheJournal() {
        hosts.get("b").failing.add("os");
        List<Step> os = new ArrayList<>();
        List<Step> runtime = new ArrayList<>();
        List<Step> join = new ArrayList<>();
        for (String h : hosts.keySet()) {
            os.add(flagStep(h, "os"));
            runtime.add(flagStep(h, "runtime"));
            join.add(flagStep(h, "join"));
        }
        Plan plan = new Plan(List.of(phase("os", os), phase("runtime", runtime, Need.onSameHost("os")),
                phase("join", join, Need.everywhere("runtime"))));
        RunResult failed = run(plan);
        assertEquals(List.of("b: set os (flag.os): `touch-flag os` exited 3: error: cannot os"), texts(failed));
        assertTrue(hosts.get("a").flags.contains("runtime") && hosts.get("c").flags.contains("runtime"));
        assertFalse(hosts.get("b").flags.contains("runtime"));
        assertTrue(hosts.values().stream().noneMatch(h -> h.flags.contains("join")));
        assertTrue(events.contains(events.stream().filter(e -> e instanceof EngineEvent.PhaseFinished f
                && f.phase().equals("runtime") && !f.ok()).findFirst().orElseThrow()));
        assertTrue(events.stream().noneMatch(e -> e instanceof EngineEvent.PhaseStarted p && p.phase().equals("join")));
        assertTrue(events.get(events.size() - 1) instanceof EngineEvent.RunFinished f && !f.ok());

        hosts.get("b").failing.clear();
        hosts.values().forEach(h -> h.commands.clear());
        events.clear();
        assertTrue(run(plan).ok());
        assertEquals(List.of("has-flag join", "touch-flag join"), hosts.get("a").commands);
        assertEquals(List.of("has-flag os", "touch-flag os", "has-flag runtime", "touch-flag runtime", "has-flag join",
                "touch-flag join"), hosts.get("b").commands);
        assertEquals(4, outcomes().stream().filter(o -> o == StepOutcome.JOURNALED).count());
    }

    /** An executor under which setting {@code flag} on {@code gated} waits until {@code step} on {@code host} finished. */
    Executor gatedUntil(String gated, String flag, String host, String step) {
        CountDownLatch gate = new CountDownLatch(1);
        hosts.get(gated).gates.put(flag, gate);
        return new Executor(hosts::get, new Journal(state.resolve("journal"), Clock.systemUTC()), e -> {
            events.add(e);
            if (e instanceof EngineEvent.StepFinished f && f.host().equals(host) && f.stepId().equals(step)) {
                gate.countDown();
            }
        }, Redactor.none(), Clock.systemUTC(), Executor.Settings.DEFAULTS);
    }

    /** Where the first event of that kind for the host's step is in the run's events. */
    int position(String host, String stepId, Class<? extends EngineEvent> kind) {
        for (int i = 0; i < events.size(); i++) {
            EngineEvent e = events.get(i);
            if (kind.isInstance(e) && key(e).equals(host + "/" + stepId)) {
                return i;
            }
        }
        throw new AssertionError("no " + kind.getSimpleName() + " for " + host + "/" + stepId);
    }

    /**
     * Checks the recorded events against the plan: every step starts after each step it needs ended (the steps of
     * needed phases on its host or on every host, of earlier hosts in a one-host-at-a-time phase, and its host's
     * earlier steps of its phase), and a host never runs two steps of one lane at once.
     */
    void assertRespected(Plan plan) {
        List<EngineEvent> recorded = List.copyOf(events);
        Map<String, String> laneOf = new HashMap<>();
        plan.phases().forEach(p -> p.steps().forEach(s -> laneOf.put(s.host() + "/" + s.id(), p.lane())));
        Map<String, Integer> started = new HashMap<>();
        Map<String, Integer> ended = new HashMap<>();
        Map<String, String> running = new HashMap<>();
        for (int i = 0; i < recorded.size(); i++) {
            EngineEvent e = recorded.get(i);
            String key = key(e);
            String lane = host(e) + " (lane " + laneOf.get(key) + ")";
            if (e instanceof EngineEvent.StepStarted) {
                started.put(key, i);
                String other = running.put(lane, key);
                assertEquals(null, other, "two steps at once on " + lane + ": " + other + " and " + key);
            } else if (e instanceof EngineEvent.StepFinished || e instanceof EngineEvent.StepFailed) {
                ended.put(key, i);
                running.remove(lane);
            }
        }
        Map<String, Phase> byName = new HashMap<>();
        for (Phase phase : plan.phases()) {
            byName.put(phase.name(), phase);
            List<String> hostOrder = List.copyOf(phase.hosts());
            for (Step step : phase.steps()) {
                List<Step> needed = new ArrayList<>();
                for (Need need : phase.needs()) {
                    Phase other = byName.get(need.phase());
                    other.steps().stream().filter(s -> need.covers(s.host(), step.host(), phase.hosts()))
                            .forEach(needed::add);
                }
                if (phase.oneHostAtATime()) {
                    hostOrder.subList(0, hostOrder.indexOf(step.host())).forEach(h -> needed.addAll(phase.stepsOf(h)));
                }
                List<Step> own = phase.stepsOf(step.host());
                needed.addAll(own.subList(0, own.indexOf(step)));
                String key = step.host() + "/" + step.id();
                if (!started.containsKey(key)) {
                    continue;
                }
                for (Step n : needed) {
                    String need = n.host() + "/" + n.id();
                    assertTrue(ended.containsKey(need) && ended.get(need) < started.get(key),
                            key + " started before " + need + " ended");
                }
            }
        }
    }

    /** host/step of a step's start or end, else empty. */
    static String key(EngineEvent e) {
        return switch (e) {
            case EngineEvent.StepStarted s -> s.host() + "/" + s.stepId();
            case EngineEvent.StepFinished s -> s.host() + "/" + s.stepId();
            case EngineEvent.StepFailed s -> s.host() + "/" + s.stepId();
            default -> "";
        };
    }

    static String host(EngineEvent e) {
        return key(e).replaceFirst("/.*", "");
    }

    static List<String> texts(RunResult result) {
        return result.failures().stream().map(RunFailure::text).toList();
    }
}
