package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.model.Role;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.pki.EtcdctlCredentials;
import dev.kubeha.state.StateDir;
import dev.kubeha.testing.GuideSpecs;
import dev.kubeha.testing.Processes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real three-member etcd cluster on loopback addresses, started from the rendered units with kubeha's PKI. */
@Tag("tools")
class EtcdClusterTest {
    static final String DATA_DIR = "/var/lib/etcd";
    static final String CERT_DIR = "/etc/etcd/pki";
    static final Duration FORM_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void membersFormAHealthyClusterThatRefusesClientsWithoutOurCertificates() throws Exception {
        ClusterSpec base = GuideSpecs.guide();
        ClusterSpec spec = GuideSpecs.withEtcd(base.withHosts(List.of(
                        new HostSpec("etcd1", "127.0.0.11", Set.of(Role.ETCD)),
                        new HostSpec("etcd2", "127.0.0.12", Set.of(Role.ETCD)),
                        new HostSpec("etcd3", "127.0.0.13", Set.of(Role.ETCD)),
                        new HostSpec("cp1", "127.0.0.21", Set.of(Role.CONTROL_PLANE)))),
                new EtcdSpec("3.5.24", DATA_DIR, CERT_DIR, KeyAlgorithm.ECDSA_P256, 365));
        EtcdPki pki = EtcdPki.loadOrCreate(StateDir.at(tmp.resolve("state")), spec);
        Map<String, Path> hostFiles = new LinkedHashMap<>();
        for (RenderedFile f : pki.hostFiles(spec)) {
            Path target = tmp.resolve("hosts").resolve(f.host()).resolve(f.path().substring(1));
            Files.createDirectories(target.getParent());
            Files.write(target, f.content());
            hostFiles.put(f.host() + ":" + f.path(), target);
        }

        List<Process> members = new ArrayList<>();
        Map<String, Path> logs = new LinkedHashMap<>();
        try {
            for (HostSpec member : spec.hostsWith(Role.ETCD)) {
                Path hostRoot = tmp.resolve("hosts").resolve(member.name());
                List<String> command = localCommand(EtcdUnit.render(spec, member, "/usr/bin/etcd").text(),
                        hostRoot.resolve(DATA_DIR.substring(1)), hostRoot.resolve(CERT_DIR.substring(1)));
                Path log = tmp.resolve(member.name() + ".log");
                logs.put(member.name(), log);
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
                members.add(builder.start());
            }

            String ca = hostFiles.get("cp1:" + EtcdFiles.CONTROL_PLANE_CA).toString();
            String cert = hostFiles.get("cp1:" + EtcdFiles.APISERVER_CLIENT_CERT).toString();
            String key = hostFiles.get("cp1:" + EtcdFiles.APISERVER_CLIENT_KEY).toString();
            String endpoints = String.join(",", EtcdUnit.clientUrls(spec));

            Processes.Result health = awaitHealthy(members, logs, endpoints, ca, cert, key);
            for (String url : EtcdUnit.clientUrls(spec)) {
                assertTrue(health.output().contains(url + " is healthy"), health.output());
            }

            EtcdctlCredentials operator = pki.etcdctlCredentials().orElseThrow();
            Processes.Result put = etcdctl("https://127.0.0.11:2379", List.of("--cacert=" + operator.caCertificate(),
                    "--cert=" + operator.certificate(), "--key=" + operator.key()), "put", "kubeha-test", "replicated");
            assertEquals(0, put.exitCode(), put.output());
            Processes.Result get = etcdctl("https://127.0.0.13:2379", List.of("--cacert=" + ca, "--cert=" + cert,
                    "--key=" + key), "get", "kubeha-test", "--print-value-only");
            assertEquals("replicated\n", get.stdout(), get.output());

            String peerPort = EtcdUnit.peerUrl(spec.hostsWith(Role.ETCD).get(0)) + "/members";
            Processes.Result asPeer = curl(peerPort, ca, hostFiles.get("etcd2:" + CERT_DIR + "/peer.pem"),
                    hostFiles.get("etcd2:" + CERT_DIR + "/peer-key.pem"));
            assertEquals(0, asPeer.exitCode(), asPeer.output());
            assertTrue(asPeer.stdout().contains("\"etcd3\""), "a peer reads the member list: " + asPeer.output());
            for (String holder : List.of("cp1:" + EtcdFiles.APISERVER_CLIENT_CERT, "etcd2:" + CERT_DIR + "/server.pem")) {
                Path clientCert = hostFiles.get(holder);
                Path clientKey = hostFiles.get(holder.replaceAll("\\.pem$", "-key.pem"));
                Processes.Result asClient = curl(peerPort, ca, clientCert, clientKey);
                assertNotEquals(0, asClient.exitCode(), holder + " was accepted on the peer port: " + asClient.output());
                assertTrue(!asClient.stdout().contains("etcd3"), asClient.output());
            }

            Processes.Result anonymous = etcdctl("https://127.0.0.11:2379", List.of("--cacert=" + ca),
                    "endpoint", "health");
            assertNotEquals(0, anonymous.exitCode(), "a client without a certificate got in: " + anonymous.output());
            awaitLog(logs.get("etcd1"), "client didn't provide a certificate");

            EtcdPki foreign = EtcdPki.loadOrCreate(StateDir.at(tmp.resolve("foreign-state")), spec);
            EtcdctlCredentials stranger = foreign.etcdctlCredentials().orElseThrow();
            Processes.Result foreignClient = etcdctl("https://127.0.0.12:2379", List.of("--cacert=" + ca,
                    "--cert=" + stranger.certificate(), "--key=" + stranger.key()), "endpoint", "health");
            assertNotEquals(0, foreignClient.exitCode(),
                    "a client certified by a foreign CA got in: " + foreignClient.output());
            awaitLog(logs.get("etcd2"), "certificate signed by unknown authority");
        } finally {
            for (Process p : members) {
                p.destroy();
            }
            for (Process p : members) {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * The unit's ExecStart words, unchanged but for two substitutions that let three members share one machine:
     * the data directory and the certificate directory move to this member's temporary directories.
     */
    static List<String> localCommand(String unit, Path dataDir, Path certDir) {
        List<String> words = EtcdUnitTest.execStart(unit);
        int dataDirs = 0;
        int certPaths = 0;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--data-dir=" + DATA_DIR)) {
                words.set(i, "--data-dir=" + dataDir);
                dataDirs++;
            } else if (word.contains("=" + CERT_DIR + "/")) {
                words.set(i, word.replace("=" + CERT_DIR + "/", "=" + certDir + "/"));
                certPaths++;
            }
        }
        assertEquals(1, dataDirs, "one data dir in " + words);
        assertEquals(6, certPaths, "ca, server and peer pairs, and the peer CA in " + words);
        assertTrue(words.stream().noneMatch(w -> w.contains("=" + DATA_DIR) || w.contains("=" + CERT_DIR)),
                words.toString());
        return words;
    }

    private static Processes.Result awaitHealthy(List<Process> members, Map<String, Path> logs, String endpoints,
                                                 String ca, String cert, String key) throws Exception {
        Instant deadline = Instant.now().plus(FORM_TIMEOUT);
        Processes.Result last = null;
        while (Instant.now().isBefore(deadline)) {
            for (Process p : members) {
                if (!p.isAlive()) {
                    throw new AssertionError("an etcd member exited with " + p.exitValue() + "\n" + tails(logs));
                }
            }
            last = etcdctl(endpoints, List.of("--cacert=" + ca, "--cert=" + cert, "--key=" + key),
                    "endpoint", "health", "--cluster");
            String output = last.output();
            // A member that has not published its client URL yet is missing from --cluster's list: wait for all.
            if (last.exitCode() == 0 && Arrays.stream(endpoints.split(","))
                    .allMatch(url -> output.contains(url + " is healthy"))) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the cluster did not become healthy within " + FORM_TIMEOUT + ": "
                + (last == null ? "" : last.output()) + "\n" + tails(logs));
    }

    private static void awaitLog(Path log, String text) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("'" + text + "' not in " + log + ":\n" + tail(log));
    }

    private static Processes.Result etcdctl(String endpoints, List<String> tls, String... args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints,
                "--dial-timeout=3s", "--command-timeout=5s"));
        command.addAll(tls);
        command.addAll(List.of(args));
        return Processes.run(Duration.ofSeconds(30), Map.of("ETCDCTL_API", "3"), command);
    }

    private static Processes.Result curl(String url, String ca, Path cert, Path key) {
        return Processes.run(Duration.ofSeconds(30), List.of("curl", "-sS", "--http1.1", "--max-time", "10", "--cacert", ca,
                "--cert", cert.toString(), "--key", key.toString(), url));
    }

    private static String tails(Map<String, Path> logs) {
        StringBuilder out = new StringBuilder();
        logs.forEach((name, log) -> out.append("--- ").append(name).append('\n').append(tail(log)));
        return out.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }
}
