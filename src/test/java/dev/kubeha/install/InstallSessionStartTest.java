package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.exec.Executor;
import dev.kubeha.exec.HostLock;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.OutputLine;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.CommandOnlyHost;
import dev.kubeha.state.StateHome;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply's start-up against in-memory hosts: what runs beside what, and how many commands each host gets. */
class InstallSessionStartTest {
    private static final String PROBE_OUTPUT = resource("/dev/kubeha/facts/probe-debian13-nspawn.txt");
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** A host that takes the lock and answers the probe, after {@code beforeProbe} ran. */
    static final class StartHost extends CommandOnlyHost {
        final String name;
        final Runnable beforeProbe;
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());

        StartHost(String name, Runnable beforeProbe) {
            this.name = name;
            this.beforeProbe = beforeProbe;
        }

        @Override
        public String where() {
            return "root@" + name + ":22";
        }

        @Override
        public ExecResult run(RemoteCommand command, Consumer<OutputLine> output) {
            commands.add(command.script());
            if (command.script().contains(HostLock.PATH) && command.script().contains("probe_host")) {
                beforeProbe.run();
                return new ExecResult(command.script(), 0, PROBE_OUTPUT, "", Duration.ZERO);
            }
            return new ExecResult(command.script(), 0, "", "", Duration.ZERO);
        }

    }

    @Test
    void theVipEchoWaitsBesideTheProbesNotAfterThem() {
        CountDownLatch echoSent = new CountDownLatch(1);
        Set<String> probedBeforeTheEcho = ConcurrentHashMap.newKeySet();
        Map<String, StartHost> hosts = new ConcurrentHashMap<>();
        Predicate<InetAddress> vipAnswers = address -> {
            echoSent.countDown();
            return true;
        };
        ClusterSpec spec = GuideSpecs.guide();
        Preparation prepared = prepare(spec, hosts, vipAnswers, name -> () -> {
            try {
                if (!echoSent.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    probedBeforeTheEcho.add(name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(Set.of(), probedBeforeTheEcho, "every probe saw the echo already sent");
        PreflightResult vip = prepared.checks().stream().filter(c -> c.check().equals("vip-reply")).findFirst()
                .orElseThrow();
        assertEquals(PreflightResult.Status.FAIL, vip.status(), "the echo's answer still refuses a used VIP");
        assertTrue(prepared.plan().isEmpty());
        for (HostSpec h : spec.hosts()) {
            assertEquals(1, prepared.commands().get(h.name()), h.name() + ": the lock and the probe, one round trip");
        }
    }

    /** What prepare found, and how many commands each host ran for it. */
    private record Preparation(List<PreflightResult> checks, Optional<?> plan, Map<String, Integer> commands) {
    }

    private Preparation prepare(ClusterSpec spec, Map<String, StartHost> hosts, Predicate<InetAddress> vipAnswers,
                                Function<String, Runnable> beforeProbe) {
        ClusterWorkspace workspace = ClusterWorkspace.open(spec, StateHome.resolve(dir, Map.of()));
        try (InstallSession session = new InstallSession(workspace,
                h -> hosts.computeIfAbsent(h.name(), n -> new StartHost(n, beforeProbe.apply(n))), () -> { },
                vipAnswers, Executor.Settings.DEFAULTS, Clock.systemUTC())) {
            InstallSession.Preparation p = session.prepare(false, Set.of(), Set.of(), ReleaseSites.UPSTREAM,
                    event -> { });
            Map<String, Integer> commands = new TreeMap<>();
            hosts.forEach((name, host) -> commands.put(name, host.commands.size()));
            return new Preparation(p.checks(), p.plan(), commands);
        }
    }

    private static String resource(String path) {
        try (InputStream in = InstallSessionStartTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
