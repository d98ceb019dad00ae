package dev.kubeha.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@Tag("tools")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshRemoteHostTest {
    private static final String SUDO_USER = "kubeha-test";
    private static final String PASSWORD_USER = "kubeha-test-pw";
    private static final String PASSPHRASE = "correct horse battery";
    private static final Duration SHORT = Duration.ofSeconds(20);

    private Path work;
    private Path ed25519;
    private Path ed25519Protected;
    private Path rsaPem;
    private Path rsaPlain;
    private String userPassword;
    private LoopbackSshd sshd;
    private final List<LoopbackSshd> extraServers = new ArrayList<>();
    private final List<Process> agents = new ArrayList<>();

    /** Answers prompts from a fixed table and records every question. */
    private static final class Answers implements SecretPrompt {
        private final Map<Kind, String> answers;
        final List<Request> asked = Collections.synchronizedList(new ArrayList<>());

        Answers(Map<Kind, String> answers) {
            this.answers = answers;
        }

        @Override
        public Optional<char[]> ask(Request request) {
            asked.add(request);
            return Optional.ofNullable(answers.get(request.kind())).map(String::toCharArray);
        }

        List<Kind> kinds() {
            return asked.stream().map(Request::kind).toList();
        }
    }

    @BeforeAll
    void startServerAndUsers() throws Exception {
        assertTrue(Files.isExecutable(LoopbackSshd.SSHD), "sshd missing: apt-get install openssh-server");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/sudo")), "sudo missing: apt-get install sudo");
        work = Files.createTempDirectory("kubeha-ssh-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        ed25519 = keygen("id_ed25519", "ed25519", "", false);
        ed25519Protected = keygen("id_ed25519_protected", "ed25519", PASSPHRASE, false);
        rsaPem = keygen("id_rsa_pem", "rsa", PASSPHRASE, true);
        rsaPlain = keygen("id_rsa", "rsa", "", false);
        userPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        for (String user : List.of(SUDO_USER, PASSWORD_USER)) {
            if (!Files.readString(Path.of("/etc/passwd")).contains("\n" + user + ":")) {
                Tools.run("useradd", "-m", "-s", "/bin/sh", user);
            }
        }
        Tools.run(Map.of(), SUDO_USER + ":" + userPassword + "\n" + PASSWORD_USER + ":" + userPassword + "\n",
                "chpasswd");
        Path sudoers = Path.of("/etc/sudoers.d/kubeha-test");
        Files.writeString(sudoers, SUDO_USER + " ALL=(ALL) NOPASSWD: ALL\n" + PASSWORD_USER + " ALL=(ALL) ALL\n");
        Files.setPosixFilePermissions(sudoers, PosixFilePermissions.fromString("r--r-----"));
        Path authorized = work.resolve("authorized");
        Files.createDirectories(authorized);
        StringBuilder keys = new StringBuilder();
        for (Path key : List.of(ed25519, ed25519Protected, rsaPem, rsaPlain)) {
            keys.append(Files.readString(Path.of(key + ".pub")));
        }
        for (String user : List.of("root", SUDO_USER, PASSWORD_USER)) {
            Files.writeString(authorized.resolve(user), keys);
        }
        sshd = new LoopbackSshd(work.resolve("sshd"), authorized);
    }

    @AfterAll
    void stopServersAndRemoveUsers() throws Exception {
        for (Process agent : agents) {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
        for (LoopbackSshd server : extraServers) {
            server.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        Files.deleteIfExists(Path.of("/etc/sudoers.d/kubeha-test"));
        for (String user : List.of(SUDO_USER, PASSWORD_USER)) {
            new ProcessBuilder("userdel", "-r", user).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Path keygen(String name, String type, String passphrase, boolean pem) throws Exception {
        Path file = work.resolve(name);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", name,
                "-f", file.toString()));
        if (type.equals("rsa")) {
            command.addAll(List.of("-b", "2048"));
        }
        if (pem) {
            command.addAll(List.of("-m", "PEM"));
        }
        Tools.run(command.toArray(String[]::new));
        return file;
    }

    private KnownHosts trusting(LoopbackSshd... servers) throws IOException {
        Path state = Files.createTempDirectory(work, "state-");
        StringBuilder lines = new StringBuilder();
        for (LoopbackSshd server : servers) {
            lines.append(server.hostKeyLine());
        }
        Files.writeString(state.resolve("known_hosts"), lines);
        return new KnownHosts(state.resolve("known_hosts"), List.of());
    }

    private static SshSettings settings(KnownHosts knownHosts, HostKeyPolicy policy, SecretPrompt prompt,
                                        Optional<Path> agent) {
        return new SshSettings(knownHosts, policy, prompt, Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(5), agent);
    }

    private SshHosts hosts(SecretPrompt prompt) throws IOException {
        return new SshHosts(settings(trusting(sshd), HostKeyPolicy.REJECT_UNKNOWN, prompt, Optional.empty()));
    }

    private SshTarget target(String user, Path identity) {
        return target(sshd, user, identity);
    }

    private static SshTarget target(LoopbackSshd server, String user, Path identity) {
        return new SshTarget("127.0.0.1", server.port, user, Optional.ofNullable(identity), Optional.empty());
    }

    private static ExecResult run(RemoteHost host, String script) throws SshException {
        return host.run(RemoteCommand.probe(script, SHORT), line -> { });
    }

    @Test
    void ed25519KeyRunsCommandsAndStreamsLinesWithExitCodes() throws Exception {
        try (SshHosts hosts = hosts(SecretPrompt.NONE)) {
            RemoteHost host = hosts.host("n1", target("root", ed25519));
            List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
            ExecResult result = host.run(RemoteCommand.change("echo one; echo two >&2; printf 'three\\nfour'; exit 7",
                    SHORT), lines::add);
            assertEquals(7, result.exitCode());
            assertEquals("one\nthree\nfour", result.stdout());
            assertEquals("two\n", result.stderr());
            assertEquals(List.of(new OutputLine(OutputLine.Pipe.STDOUT, "one"),
                    new OutputLine(OutputLine.Pipe.STDOUT, "three"), new OutputLine(OutputLine.Pipe.STDOUT, "four")),
                    lines.stream().filter(l -> l.pipe() == OutputLine.Pipe.STDOUT).toList());
            assertEquals(List.of(new OutputLine(OutputLine.Pipe.STDERR, "two")),
                    lines.stream().filter(l -> l.pipe() == OutputLine.Pipe.STDERR).toList());
            assertEquals("0\n", run(host, "id -u").stdout());
            assertEquals("", run(host, "cat").stdout(), "stdin is closed");
            assertTrue(result.duration().compareTo(SHORT) < 0);
        }
    }

    @Test
    void twoCommandsRunAtOnceOnOneConnection() throws Exception {
        Path started = work.resolve("lane-started");
        Path released = work.resolve("lane-released");
        try (SshHosts hosts = hosts(SecretPrompt.NONE)) {
            RemoteHost host = hosts.host("n1", target("root", ed25519));
            run(host, "true");
            FutureTask<ExecResult> first = new FutureTask<>(() -> run(host, "touch " + started
                    + "; for i in $(seq 1 50); do [ -e " + released + " ] && exit 0; sleep 0.1; done; exit 1"));
            Thread.ofVirtual().start(first);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Files.exists(started) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(started), "the first command started");
            assertEquals(0, run(host, "touch " + released).exitCode());
            assertEquals(0, first.get().exitCode(), "the first command saw the second one's file while it ran");
        }
    }

    @Test
    void passphraseProtectedKeysInOpenSshAndPemFormatsAskOncePerFile() throws Exception {
        Answers prompt = new Answers(Map.of(SecretPrompt.Kind.KEY_PASSPHRASE, PASSPHRASE));
        try (SshHosts hosts = hosts(prompt)) {
            assertEquals("0\n", run(hosts.host("pem1", target("root", rsaPem)), "id -u").stdout());
            assertEquals("0\n", run(hosts.host("pem2", target("root", rsaPem)), "id -u").stdout());
            assertEquals("0\n", run(hosts.host("v1", target("root", ed25519Protected)), "id -u").stdout());
            assertEquals(List.of(rsaPem.toString(), ed25519Protected.toString()),
                    prompt.asked.stream().map(SecretPrompt.Request::keyFile).toList());
        }
    }

    @Test
    void wrongPassphraseIsAnAuthenticationFailureNamingTheKey() throws Exception {
        try (SshHosts hosts = hosts(new Answers(Map.of(SecretPrompt.Kind.KEY_PASSPHRASE, "wrong")))) {
            var e = assertThrows(SshException.AuthFailed.class,
                    () -> hosts.host("n", target("root", ed25519Protected)).connect());
            assertTrue(e.getMessage().startsWith("root@127.0.0.1:" + sshd.port + ": authentication failed for user"
                    + " root (tried: publickey " + ed25519Protected), e.getMessage());
            assertTrue(e.getMessage().contains("could not be decrypted"), e.getMessage());
        }
    }

    @Test
    void passwordLoginAndSudoPasswordAreAskedAndCommandsRunAsRoot() throws Exception {
        Answers prompt = new Answers(Map.of(SecretPrompt.Kind.LOGIN_PASSWORD, userPassword,
                SecretPrompt.Kind.SUDO_PASSWORD, userPassword));
        try (SshHosts hosts = hosts(prompt)) {
            RemoteHost host = hosts.host("n", target(PASSWORD_USER, null));
            assertEquals("root\n", run(host, "id -un").stdout());
            assertEquals("root 0\n", run(host, "echo $(id -un) $(id -u)").stdout());
            ExecResult reading = run(host, "cat; echo end");
            assertEquals("end\n", reading.stdout(), "the sudo password never reaches the command's stdin");
            assertEquals(List.of(SecretPrompt.Kind.LOGIN_PASSWORD, SecretPrompt.Kind.SUDO_PASSWORD), prompt.kinds());
            assertEquals(PASSWORD_USER + "@127.0.0.1:" + sshd.port, prompt.asked.get(0).where());
        }
    }

    @Test
    void wrongLoginPasswordNamesUserAndMethods() throws Exception {
        try (SshHosts hosts = hosts(new Answers(Map.of(SecretPrompt.Kind.LOGIN_PASSWORD, "nope")))) {
            var e = assertThrows(SshException.AuthFailed.class,
                    () -> hosts.host("n", target(PASSWORD_USER, null)).connect());
            assertEquals(PASSWORD_USER + "@127.0.0.1:" + sshd.port + ": authentication failed for user "
                    + PASSWORD_USER + " (tried: password; server allows: publickey,password)", e.getMessage());
        }
    }

    @Test
    void passwordlessSudoUserRunsAsRootWithoutAnyPrompt() throws Exception {
        Answers prompt = new Answers(Map.of());
        try (SshHosts hosts = hosts(prompt)) {
            RemoteHost host = hosts.host("n", target(SUDO_USER, ed25519));
            assertEquals("root\n", run(host, "id -un").stdout());
            assertTrue(prompt.asked.isEmpty());
        }
    }

    @Test
    void sudoPasswordDeclinedOrWrongIsAClearFailure() throws Exception {
        try (SshHosts hosts = hosts(SecretPrompt.NONE)) {
            var e = assertThrows(SshException.SudoFailed.class,
                    () -> hosts.host("n", target(PASSWORD_USER, ed25519)).connect());
            assertEquals(PASSWORD_USER + "@127.0.0.1:" + sshd.port + ": sudo needs a password for user "
                    + PASSWORD_USER + " and none was given", e.getMessage());
        }
        try (SshHosts hosts = hosts(new Answers(Map.of(SecretPrompt.Kind.SUDO_PASSWORD, "wrong")))) {
            var e = assertThrows(SshException.SudoFailed.class,
                    () -> hosts.host("n", target(PASSWORD_USER, ed25519)).connect());
            assertTrue(e.getMessage().contains("sudo did not accept the password for user " + PASSWORD_USER),
                    e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), e.getMessage());
        }
    }

    @Test
    void timeoutKillsTheCommandOnTheHost() throws Exception {
        try (SshHosts hosts = hosts(SecretPrompt.NONE)) {
            RemoteHost host = hosts.host("n", target(SUDO_USER, ed25519));
            long start = System.nanoTime();
            var e = assertThrows(SshException.CommandTimedOut.class, () -> host.run(
                    RemoteCommand.change("sleep 317; touch " + work.resolve("not-reached"), Duration.ofSeconds(2)),
                    line -> { }));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            assertEquals(SUDO_USER + "@127.0.0.1:" + sshd.port
                    + ": command timed out after 2 s and was killed: sleep 317; touch " + work.resolve("not-reached"),
                    e.getMessage());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sleeping() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(sleeping(), "the remote command still runs");
            assertFalse(Files.exists(work.resolve("not-reached")));
            assertEquals("ok\n", run(host, "echo ok").stdout(), "the connection survives a timeout");
        }
    }

    private static boolean sleeping() {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 317"));
    }

    @Test
    void uploadsSetModeAndOwnerAndLeaveNoTemporaryFiles() throws Exception {
        Path dir = Files.createTempDirectory(work, "upload-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (SshHosts hosts = hosts(new Answers(Map.of(SecretPrompt.Kind.SUDO_PASSWORD, userPassword)))) {
            RemoteHost root = hosts.host("root", target("root", ed25519));
            root.upload("secret\n".getBytes(StandardCharsets.UTF_8), dir + "/etcd.key", 0600, SUDO_USER);
            assertFile(dir.resolve("etcd.key"), "secret\n", "rw-------", SUDO_USER, "root");
            root.upload("conf\n".getBytes(StandardCharsets.UTF_8), dir + "/haproxy.cfg", 0644, "root:" + SUDO_USER);
            assertFile(dir.resolve("haproxy.cfg"), "conf\n", "rw-r--r--", "root", SUDO_USER);

            RemoteHost sudo = hosts.host("sudo", target(PASSWORD_USER, ed25519));
            sudo.upload("v2\n".getBytes(StandardCharsets.UTF_8), dir + "/etcd.key", 0640, "root");
            assertFile(dir.resolve("etcd.key"), "v2\n", "rw-r-----", "root", "root");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(Set.of("etcd.key", "haproxy.cfg"),
                        files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
            }
            try (Stream<Path> files = Files.list(Path.of("/home", PASSWORD_USER))) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".kubeha-upload")));
            }
            var e = assertThrows(SshException.FileFailed.class, () -> root.upload(new byte[1],
                    dir + "/missing/file", 0644, "root"));
            assertTrue(e.getMessage().contains("cannot upload " + dir + "/missing/file"), e.getMessage());
        }
    }

    @Test
    void aLargeLocalFileIsStreamedAndAnUnreadableOneFailsWithoutLeavingAStagedFile() throws Exception {
        Path dir = Files.createTempDirectory(work, "stream-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] binary = new byte[3_000_000 + 17];
        new Random(5).nextBytes(binary);
        Path local = Files.write(work.resolve("etcd-local"), binary);
        try (SshHosts hosts = hosts(new Answers(Map.of(SecretPrompt.Kind.SUDO_PASSWORD, userPassword)))) {
            RemoteHost root = hosts.host("root", target("root", ed25519));
            root.upload(local, dir + "/etcd", 0755, "root");
            assertArrayEquals(binary, Files.readAllBytes(dir.resolve("etcd")));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("etcd"))));

            var e = assertThrows(SshException.FileFailed.class,
                    () -> root.upload(work.resolve("no-such-file"), dir + "/etcdctl", 0755, "root"));
            assertTrue(e.getMessage().contains("cannot upload " + dir + "/etcdctl: cannot read its content"),
                    e.getMessage());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(Set.of("etcd"), files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
            }
        }
    }

    @Test
    void aServiceUserSwappingLinksIntoItsDirectoryNeverMakesRootFollowThem() throws Exception {
        Path victim = work.resolve("victim");
        Files.writeString(victim, "root's own\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Path serviceDir = Files.createTempDirectory(work, "service-");
        Tools.run("chown", SUDO_USER + ":" + SUDO_USER, serviceDir.toString());
        Path stop = work.resolve("stop-" + serviceDir.getFileName());
        Process swapper = new ProcessBuilder("sudo", "-u", SUDO_USER, "sh", "-c", "cd " + serviceDir
                + " && while [ ! -e " + stop + " ]; do for f in .[!.]*; do [ -e \"$f\" ] && [ ! -L \"$f\" ]"
                + " && rm -f -- \"$f\" && ln -s " + victim + " \"$f\"; done 2>/dev/null; done")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        try (var watcher = serviceDir.getFileSystem().newWatchService();
             SshHosts hosts = hosts(new Answers(Map.of(SecretPrompt.Kind.SUDO_PASSWORD, userPassword)))) {
            serviceDir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            RemoteHost root = hosts.host("root", target("root", ed25519));
            RemoteHost sudo = hosts.host("sudo", target(PASSWORD_USER, ed25519));
            for (int i = 0; i < 10; i++) {
                for (RemoteHost host : List.of(root, sudo)) {
                    host.upload(("cert " + i + "\n").getBytes(StandardCharsets.UTF_8), serviceDir + "/server.pem",
                            0644, SUDO_USER);
                    for (var key = watcher.poll(); key != null; key = watcher.poll()) {
                        key.pollEvents().forEach(e -> created.add(e.context().toString()));
                        key.reset();
                    }
                }
            }
            assertFile(serviceDir.resolve("server.pem"), "cert 9\n", "rw-r--r--", SUDO_USER, "root");
        } finally {
            Files.writeString(stop, "");
            swapper.waitFor(10, TimeUnit.SECONDS);
            swapper.destroyForcibly();
        }
        assertFile(victim, "root's own\n", "rw-------", "root", "root");
        assertEquals(Set.of("server.pem"), Set.copyOf(created),
                "root staged files where the service user can swap them for links");
    }

    @Test
    void aTargetThatIsASymbolicLinkIsRefusedAndItsTargetUntouched() throws Exception {
        Path dir = Files.createTempDirectory(work, "linked-");
        Path victim = work.resolve("link-victim");
        Files.writeString(victim, "keep\n");
        Files.createSymbolicLink(dir.resolve("etcd.service"), victim);
        try (SshHosts hosts = hosts(SecretPrompt.NONE)) {
            RemoteHost root = hosts.host("root", target("root", ed25519));
            var e = assertThrows(SshException.FileFailed.class, () -> root.upload(
                    "new\n".getBytes(StandardCharsets.UTF_8), dir + "/etcd.service", 0644, "root"));
            assertTrue(e.getMessage().contains(dir + "/etcd.service is a symbolic link"), e.getMessage());
        }
        assertEquals("keep\n", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(dir.resolve("etcd.service")));
        try (Stream<Path> files = Files.list(Path.of("/root"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".kubeha-upload")));
        }
    }

    private static void assertFile(Path file, String content, String mode, String owner, String group)
            throws IOException {
        assertEquals(content, Files.readString(file));
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        assertEquals(mode, PosixFilePermissions.toString(attributes.permissions()));
        assertEquals(owner, attributes.owner().getName());
        assertEquals(group, attributes.group().getName());
    }

    @Test
    void aReaderNeverSeesAHalfWrittenFile() throws Exception {
        byte[] a = new byte[1 << 20];
        byte[] b = new byte[(1 << 20) + 333_333];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        Path file = work.resolve("atomic.bin");
        AtomicBoolean stop = new AtomicBoolean();
        List<String> torn = Collections.synchronizedList(new ArrayList<>());
        int[] reads = {0};
        try (SshHosts hosts = hosts(SecretPrompt.NONE)) {
            RemoteHost host = hosts.host("n", target(SUDO_USER, ed25519));
            host.upload(a, file.toString(), 0644, "root");
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        byte[] seen = Files.readAllBytes(file);
                        reads[0]++;
                        if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                            torn.add(seen.length + " bytes");
                        }
                    } catch (NoSuchFileException e) {
                        torn.add("absent");
                    } catch (IOException e) {
                        torn.add(e.toString());
                    }
                }
            });
            reader.start();
            for (int i = 0; i < 12; i++) {
                host.upload(i % 2 == 0 ? b : a, file.toString(), 0644, "root");
            }
            stop.set(true);
            reader.join(10_000);
        }
        assertTrue(torn.isEmpty(), "torn reads: " + torn);
        assertTrue(reads[0] > 12, "reader ran " + reads[0] + " times");
        assertArrayEquals(a, Files.readAllBytes(file));
    }

    @Test
    void readsFilesAsRootAndReportsAbsence() throws Exception {
        Path secret = work.resolve("root-only");
        Files.writeString(secret, "only root\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        try (SshHosts hosts = hosts(SecretPrompt.NONE)) {
            RemoteHost host = hosts.host("n", target(SUDO_USER, ed25519));
            assertEquals("only root\n",
                    new String(host.read(secret.toString()).orElseThrow(), StandardCharsets.UTF_8));
            assertEquals(Optional.empty(), host.read(work.resolve("absent file").toString()));
            assertThrows(SshException.FileFailed.class, () -> host.read(work.toString()));
        }
    }

    @Test
    void unknownHostKeyIsRejectedByDefaultThenAcceptedByPolicyAndRecorded() throws Exception {
        Path state = Files.createTempDirectory(work, "state-").resolve("nested");
        KnownHosts knownHosts = new KnownHosts(state.resolve("known_hosts"), List.of());
        String fingerprint = sshd.hostKeyFingerprint();
        try (SshHosts hosts = new SshHosts(settings(knownHosts, HostKeyPolicy.REJECT_UNKNOWN, SecretPrompt.NONE,
                Optional.empty()))) {
            var e = assertThrows(SshException.HostKeyUnknown.class,
                    () -> hosts.host("n", target("root", ed25519)).connect());
            assertEquals(fingerprint, e.fingerprint());
            assertTrue(e.getMessage().startsWith("root@127.0.0.1:" + sshd.port + ": unknown ssh-ed25519 host key "
                    + fingerprint), e.getMessage());
        }
        assertFalse(Files.exists(state.resolve("known_hosts")));
        List<HostKeyPolicy.UnknownKey> asked = new ArrayList<>();
        HostKeyPolicy trustOnce = key -> {
            asked.add(key);
            return HostKeyPolicy.Decision.ACCEPT;
        };
        try (SshHosts hosts = new SshHosts(settings(knownHosts, trustOnce, SecretPrompt.NONE, Optional.empty()))) {
            assertEquals("ok\n", run(hosts.host("n", target("root", ed25519)), "echo ok").stdout());
        }
        assertEquals(List.of(new HostKeyPolicy.UnknownKey("127.0.0.1", sshd.port, "ssh-ed25519", fingerprint)), asked);
        assertEquals(sshd.hostKeyLine(), Files.readString(state.resolve("known_hosts")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                state.resolve("known_hosts"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        try (SshHosts hosts = new SshHosts(settings(knownHosts, HostKeyPolicy.REJECT_UNKNOWN, SecretPrompt.NONE,
                Optional.empty()))) {
            assertEquals("ok\n", run(hosts.host("n", target("root", ed25519)), "echo ok").stdout());
        }
    }

    @Test
    void acceptNewTrustsAnUnknownKeyWithinOneConnection() throws Exception {
        Path state = Files.createTempDirectory(work, "state-");
        KnownHosts knownHosts = new KnownHosts(state.resolve("known_hosts"), List.of());
        Set<String> before = sshConnections(sshd.log());
        try (SshHosts hosts = new SshHosts(settings(knownHosts, HostKeyPolicy.ACCEPT_NEW, SecretPrompt.NONE,
                Optional.empty()))) {
            assertEquals("ok\n", run(hosts.host("n", target("root", ed25519)), "echo ok").stdout());
        }
        Set<String> made = sshConnections(sshd.log());
        made.removeAll(before);
        assertEquals(1, made.size(), "one TCP connection and key exchange: " + sshd.log());
        assertEquals(sshd.hostKeyLine(), Files.readString(state.resolve("known_hosts")));
    }

    /** The client ports of the connections that spoke SSH (the start-up's readiness check never does). */
    private static Set<String> sshConnections(String log) {
        Pattern from = Pattern.compile("Connection from 127\\.0\\.0\\.1 port (\\d+) ");
        Set<String> ports = new HashSet<>();
        Set<String> silentPorts = new HashSet<>();
        List<String> lines = log.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = from.matcher(lines.get(i));
            if (m.find()) {
                ports.add(m.group(1));
                if (i + 1 < lines.size() && lines.get(i + 1).startsWith("kex_exchange_identification:")) {
                    silentPorts.add(m.group(1));
                }
            }
        }
        ports.removeAll(silentPorts);
        return ports;
    }

    @Test
    void theUsersKnownHostsIsTrustedAndNeverWritten() throws Exception {
        Path state = Files.createTempDirectory(work, "state-");
        Path users = state.resolve("user_known_hosts");
        Files.writeString(users, "# the operator's\n" + sshd.hostKeyLine());
        Tools.run("ssh-keygen", "-H", "-f", users.toString());
        String hashed = Files.readString(users);
        assertFalse(hashed.contains("127.0.0.1"), hashed);
        KnownHosts knownHosts = new KnownHosts(state.resolve("known_hosts"), List.of(users));
        try (SshHosts hosts = new SshHosts(settings(knownHosts, HostKeyPolicy.REJECT_UNKNOWN, SecretPrompt.NONE,
                Optional.empty()))) {
            assertEquals("ok\n", run(hosts.host("n", target("root", ed25519)), "echo ok").stdout());
        }
        assertEquals(hashed, Files.readString(users));
        assertFalse(Files.exists(state.resolve("known_hosts")));
    }

    @Test
    void aChangedHostKeyIsRefusedNamingBothFingerprints() throws Exception {
        LoopbackSshd server = new LoopbackSshd(work.resolve("rekeyed"), work.resolve("authorized"));
        extraServers.add(server);
        KnownHosts knownHosts = trusting(server);
        String old = server.hostKeyFingerprint();
        server.stop();
        server.newHostKey();
        server.start();
        String now = server.hostKeyFingerprint();
        try (SshHosts hosts = new SshHosts(settings(knownHosts, HostKeyPolicy.ACCEPT_NEW, SecretPrompt.NONE,
                Optional.empty()))) {
            var e = assertThrows(SshException.HostKeyChanged.class,
                    () -> hosts.host("n", target(server, "root", ed25519)).connect());
            assertEquals("root@127.0.0.1:" + server.port + ": HOST KEY CHANGED for 127.0.0.1: known_hosts has"
                    + " ssh-ed25519 " + old + ", the host now presents " + now + "; refusing to connect (remove the"
                    + " old entry only if the change is expected)", e.getMessage());
        }
        server.stop();
    }

    @Test
    void reconnectsAfterADroppedConnectionAndRepeatsOnlyIdempotentWork() throws Exception {
        try (SshHosts hosts = hosts(SecretPrompt.NONE)) {
            RemoteHost host = hosts.host("n", target(SUDO_USER, ed25519));
            assertEquals("before\n", run(host, "echo before").stdout());
            assertTrue(sshd.killConnections() > 0);
            assertEquals("after\n", run(host, "echo after").stdout());
            assertTrue(sshd.killConnections() > 0);
            assertEquals("changed\n", host.run(RemoteCommand.change("echo changed", SHORT), l -> { }).stdout(),
                    "a change that never started is sent on the new connection");

            Thread killer = killLater();
            var lost = assertThrows(SshException.ConnectionLost.class,
                    () -> host.run(RemoteCommand.change("sleep 4; echo done", SHORT), l -> { }));
            killer.join(10_000);
            assertTrue(lost.getMessage().contains("may or may not have taken effect"), lost.getMessage());

            killer = killLater();
            assertEquals("probed\n", run(host, "sleep 3; echo probed").stdout());
            killer.join(10_000);
            host.upload("x".getBytes(StandardCharsets.UTF_8), work.resolve("after-drop").toString(), 0644, "root");
            sshd.killConnections();
            assertEquals("x", new String(host.read(work.resolve("after-drop").toString()).orElseThrow(),
                    StandardCharsets.UTF_8));
        }
    }

    private Thread killLater() {
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(1500);
                sshd.killConnections();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        return killer;
    }

    @Test
    void connectsThroughABastion() throws Exception {
        LoopbackSshd bastion = new LoopbackSshd(work.resolve("bastion"), work.resolve("authorized"));
        extraServers.add(bastion);
        SshTarget jump = new SshTarget("127.0.0.1", bastion.port, SUDO_USER, Optional.of(ed25519), Optional.empty());
        SshTarget target = new SshTarget("127.0.0.1", sshd.port, "root", Optional.of(ed25519), Optional.of(jump));
        try (SshHosts hosts = new SshHosts(settings(trusting(sshd, bastion), HostKeyPolicy.REJECT_UNKNOWN,
                SecretPrompt.NONE, Optional.empty()))) {
            RemoteHost host = hosts.host("n", target);
            assertEquals("root@127.0.0.1:" + sshd.port + " via " + SUDO_USER + "@127.0.0.1:" + bastion.port,
                    host.where());
            String[] client = run(host, "echo $SSH_CLIENT").stdout().strip().split(" ");
            assertEquals("127.0.0.1", client[0]);
            long inode = socketInode(Integer.parseInt(client[1]), sshd.port);
            Set<Long> bastionSockets = bastion.descendantsSockets();
            assertTrue(bastionSockets.contains(inode), "the target's client socket " + inode
                    + " belongs to the bastion's sshd: " + bastionSockets);
            host.upload("via\n".getBytes(StandardCharsets.UTF_8), work.resolve("via-bastion").toString(), 0644,
                    "root");
            assertEquals("via\n", Files.readString(work.resolve("via-bastion")));
        }
        bastion.stop();
        try (SshHosts hosts = new SshHosts(settings(trusting(sshd, bastion), HostKeyPolicy.REJECT_UNKNOWN,
                SecretPrompt.NONE, Optional.empty()))) {
            var e = assertThrows(SshException.Unreachable.class, () -> hosts.host("n", target).connect());
            assertEquals(SUDO_USER + "@127.0.0.1:" + bastion.port + ": connection refused", e.getMessage());
        }
    }

    private static long socketInode(int localPort, int remotePort) throws IOException {
        String local = String.format(":%04X", localPort);
        String remote = String.format(":%04X", remotePort);
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] f = line.strip().split("\\s+");
            if (f[1].endsWith(local) && f[2].endsWith(remote)) {
                return Long.parseLong(f[9]);
            }
        }
        throw new AssertionError("no socket from port " + localPort + " to " + remotePort);
    }

    @Test
    void refusedConnectionNamesTheHostAndPort() throws Exception {
        int closed = LoopbackSshd.freePort();
        try (SshHosts hosts = hosts(SecretPrompt.NONE)) {
            var e = assertThrows(SshException.Unreachable.class, () -> hosts.host("n",
                    new SshTarget("127.0.0.1", closed, "root", Optional.of(ed25519), Optional.empty())).connect());
            assertEquals("root@127.0.0.1:" + closed + ": connection refused", e.getMessage());
        }
    }

    @Test
    void aServerThatNeverSpeaksSshTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             SshHosts hosts = new SshHosts(new SshSettings(trusting(sshd), HostKeyPolicy.REJECT_UNKNOWN,
                     SecretPrompt.NONE, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1),
                     Optional.empty()))) {
            long start = System.nanoTime();
            var e = assertThrows(SshException.Unreachable.class, () -> hosts.host("n", new SshTarget("127.0.0.1",
                    silent.getLocalPort(), "root", Optional.of(ed25519), Optional.empty())).connect());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "bounded by the timeouts");
            assertEquals("root@127.0.0.1:" + silent.getLocalPort() + ": no SSH handshake within 2 s", e.getMessage());
        }
    }

    @Test
    void sshAgentKeysAuthenticateWithoutAnIdentityFile() throws Exception {
        for (Path key : List.of(ed25519, rsaPlain)) {
            Path socket = work.resolve("agent-" + key.getFileName() + ".sock");
            Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            agents.add(agent);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(socket) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Tools.run(Map.of("SSH_AUTH_SOCK", socket.toString()), "", "ssh-add", key.toString());
            Answers prompt = new Answers(Map.of());
            try (SshHosts hosts = new SshHosts(settings(trusting(sshd), HostKeyPolicy.REJECT_UNKNOWN, prompt,
                    Optional.of(socket)))) {
                assertEquals("root\n", run(hosts.host("n", target(SUDO_USER, null)), "id -un").stdout());
            }
            assertTrue(prompt.asked.isEmpty(), "no password prompt: " + prompt.asked);
            agent.destroy();
        }
    }
}
