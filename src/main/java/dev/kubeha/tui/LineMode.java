package dev.kubeha.tui;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.AnswersWriter;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.model.Choice;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.FlannelBackend;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.Role;
import dev.kubeha.model.SupportedReleases;
import dev.kubeha.model.VrrpMode;
import dev.kubeha.state.StateHome;
import dev.kubeha.tui.probe.HostProbe;
import dev.kubeha.tui.probe.ProbeReport;
import dev.kubeha.tui.probe.ProbeStatus;
import dev.kubeha.tui.probe.ProbeTarget;
import dev.kubeha.validate.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;

/** The wizard's questions one line at a time (JLine), for serial consoles, screen readers and pipes. */
public final class LineMode {
    private Draft draft;
    private final LocalDate today;
    private final Autosave autosave;
    private final LineReader reader;
    private final PrintWriter out;
    private final boolean echo;

    /** Thrown when the input ends or the operator interrupts; the answers are autosaved first. */
    private static final class Stopped extends RuntimeException {
        private final boolean interrupted;

        Stopped(boolean interrupted) {
            super(null, null, false, false);
            this.interrupted = interrupted;
        }
    }

    /** Thrown by the answer {@code back}: the section starts again, or the previous one at a section's start. */
    private static final class Back extends RuntimeException {
        Back() {
            super(null, null, false, false);
        }
    }

    static final String COMMANDS = "At every question: Enter keeps the value in brackets, back returns to the"
            + " previous question's section, show prints the answers so far, help prints this.";
    /** The abbreviations the full screen shows for roles. */
    private static final Map<String, String> ROLE_WORDS = Map.of("cp", Role.CONTROL_PLANE.yamlName(), "w",
            Role.WORKER.yamlName(), "lb", Role.LOAD_BALANCER.yamlName());
    private final Optional<HostProbe> probe;
    private final StateHome stateHome;
    private int asked;

    /**
     * With {@code echo}, each answer read is printed back, so a transcript of piped input stays readable. With
     * {@code probe}, each host is checked as soon as its address and roles are answered, with the known_hosts of
     * its cluster's directory under {@code stateHome}.
     */
    public LineMode(Terminal terminal, Draft draft, LocalDate today, Autosave autosave, Path historyFile,
                    boolean echo, Optional<HostProbe> probe, StateHome stateHome) {
        this.probe = probe;
        this.stateHome = stateHome;
        this.echo = echo;
        this.draft = draft;
        this.today = today;
        this.autosave = autosave;
        this.out = terminal.writer();
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("kubeha")
                .variable(LineReader.HISTORY_FILE, historyFile)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, false)
                .build();
    }

    /**
     * Offers an autosave back (declined, it is kept as .previous), asks every question, saves the answers to the
     * target of their cluster name; 0 when they are valid, 1 otherwise.
     */
    public int run(Optional<Resume.Offer> offer, Function<String, Path> target) {
        try {
            out.println("kubeha: answer each question; Tab completes. " + COMMANDS);
            if (offer.isPresent()) {
                ClusterSpec spec = offer.get().spec();
                out.println("An autosave holds unsaved answers: cluster " + spec.cluster().name() + ", "
                        + spec.hosts().size() + " host" + (spec.hosts().size() == 1 ? "" : "s") + " ("
                        + offer.get().file() + ").");
                boolean resume = true;
                try {
                    resume = yes("Resume them", true);
                } catch (Back atTheFirstQuestion) {
                    out.println("  this is the first question: the autosave is resumed");
                }
                if (resume) {
                    draft = Draft.from(spec);
                } else {
                    Resume.keepAside(offer.get()).ifPresent(out::println);
                }
            }
            List<Runnable> sections = List.of(this::cluster, this::ssh, this::hosts, this::loadBalancer,
                    this::network, this::etcdAndAddons);
            int section = 0;
            while (section < sections.size()) {
                int before = asked;
                try {
                    sections.get(section).run();
                    section++;
                } catch (Back back) {
                    boolean atStart = asked - before <= 1;
                    section = Math.max(0, atStart ? section - 1 : section);
                }
            }
            return finish(target.apply(draft.clusterName));
        } catch (Stopped e) {
            out.println();
            autosave().ifPresent(f -> out.println((e.interrupted ? "interrupted" : "input ended")
                    + "; the answers so far are in " + f + " (continue with: kubeha --plain --answers " + f + ")"));
            out.flush();
            return e.interrupted ? INTERRUPTED : 1;
        } finally {
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                out.println("could not save the line history: " + e.getMessage());
            }
        }
    }

    /** The exit code after Ctrl-C, as a shell reports SIGINT. */
    static final int INTERRUPTED = 130;
    /** Ctrl-C as a terminal without signals (a dumb terminal, a pipe) passes it on. */
    private static final char INTERRUPT = '\u0003';

    private void cluster() {
        section("Cluster");
        text("cluster.name", "Cluster name", () -> draft.clusterName, v -> draft.clusterName = v);
        out.println("Supported Kubernetes versions:");
        for (KubernetesRelease r : SupportedReleases.all()) {
            out.println("  " + ClusterScreen.releaseLine(r, today));
        }
        List<String> minors = SupportedReleases.all().stream().map(r -> r.minor() + ".").toList();
        ask("cluster.kubernetesVersion", "Kubernetes version (full, such as 1.36.3)", () -> draft.kubernetesVersion,
                v -> draft.kubernetesVersion = v, new StringsCompleter(minors));
        text("cluster.imageRepository", "Image registry", () -> draft.imageRepository,
                v -> draft.imageRepository = v);
        text("cluster.packageRepository", "Package repository", () -> draft.packageRepository,
                v -> draft.packageRepository = v);
        if (draft.packageRepository.startsWith("http://") || !draft.packageRepositoryKeyFingerprint.isEmpty()) {
            text("cluster.packageRepositoryKeyFingerprint", "Its signing key's fingerprint (gpg --show-keys; - for none)",
                    () -> draft.packageRepositoryKeyFingerprint,
                    v -> draft.packageRepositoryKeyFingerprint = v.equals("-") ? "" : v);
        }
        choice("containerRuntime", "Container runtime", ContainerRuntime.class, () -> draft.containerRuntime,
                v -> draft.containerRuntime = v);
        choice("containerRuntimeInstall", "Runtime install; auto is " + RuntimeInstall.AUTO_MEANS, RuntimeInstall.class,
                () -> draft.containerRuntimeInstall, v -> draft.containerRuntimeInstall = v);
        autosave();
    }

    private void ssh() {
        section("SSH access (passwords are never saved; kubeha asks at install time)");
        text("ssh.user", "SSH user", () -> draft.sshUser, v -> draft.sshUser = v);
        text("ssh.port", "SSH port", () -> draft.sshPort, v -> draft.sshPort = v);
        text("ssh.identityFile", "Key file (- for ssh-agent, then a password prompt)", () -> draft.identityFile,
                v -> draft.identityFile = v.equals("-") ? "" : v);
        flag("ssh.sudo", "Use sudo", () -> draft.sudo, v -> draft.sudo = v);
        text("ssh.bastion", "Bastion user@host:port (- for none)", () -> draft.bastion,
                v -> draft.bastion = v.equals("-") ? "" : v);
        autosave();
    }

    private void hosts() {
        section("Hosts");
        if (!draft.hosts.isEmpty()) {
            for (int i = 0; i < draft.hosts.size(); i++) {
                Draft.HostDraft h = draft.hosts.get(i);
                out.println("  " + (i + 1) + ". " + h.name + " " + h.address + " " + String.join(",", h.roles));
            }
        }
        Completer roleNames = new StringsCompleter(Arrays.stream(Role.values()).map(Role::yamlName).toList());
        while (true) {
            int n = draft.hosts.size();
            String line = read("Host " + (n + 1) + " name (Enter when done, -K deletes host K)", "", NullCompleter.INSTANCE);
            if (line.matches("-\\d+")) {
                int k = Integer.parseInt(line.substring(1));
                if (k >= 1 && k <= n) {
                    Draft.HostDraft gone = draft.hosts.remove(k - 1);
                    out.println("  deleted host " + k + " (" + gone.name + ")");
                } else {
                    out.println("  there is no host " + k);
                }
                continue;
            }
            if (line.isEmpty()) {
                List<Problem> general = problems("hosts").stream().filter(p -> p.path().equals("hosts")).toList();
                report(general);
                if (general.stream().noneMatch(Problem::isError) || !yes("Fix the hosts", true)) {
                    break;
                }
                continue;
            }
            Draft.HostDraft h = new Draft.HostDraft();
            draft.hosts.add(h);
            String at = "hosts[" + n + "]";
            h.name = line;
            if (!accepted(at + ".name")) {
                ask(at + ".name", "Host " + (n + 1) + " name", () -> h.name, v -> h.name = v, NullCompleter.INSTANCE);
            }
            ask(at + ".address", "Host " + (n + 1) + " address", () -> h.address, v -> h.address = v,
                    NullCompleter.INSTANCE);
            if (h.roles.isEmpty()) {
                h.roles.add(n == 0 ? Role.CONTROL_PLANE.yamlName() : Role.WORKER.yamlName());
            }
            ask(at + ".roles", "Host " + (n + 1) + " roles (" + String.join(", ", Arrays.stream(Role.values())
                    .map(r -> r.yamlName() + " " + HostsScreen.SHORT.get(r)).toList()) + ")", () -> String.join(",", h.roles), v -> {
                        h.roles.clear();
                        Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isEmpty())
                                .map(s -> ROLE_WORDS.getOrDefault(s, s)).forEach(h.roles::add);
                    }, roleNames);
            check(n);
        }
        autosave();
    }

    private void loadBalancer() {
        section("Load balancer");
        text("loadBalancer.vip", "Virtual IP (VIP)", () -> draft.vip, v -> draft.vip = v);
        text("loadBalancer.port", "Load balancer port", () -> draft.lbPort, v -> draft.lbPort = v);
        text("loadBalancer.interface", "Interface (- to detect)", () -> draft.lbInterface,
                v -> draft.lbInterface = v.equals("-") ? "" : v);
        text("loadBalancer.virtualRouterId", "Virtual router id", () -> draft.virtualRouterId,
                v -> draft.virtualRouterId = v);
        choice("loadBalancer.vrrp", "VRRP", VrrpMode.class, () -> draft.vrrp, v -> draft.vrrp = v);
        autosave();
    }

    private void network() {
        section("Network");
        text("network.podSubnet", "Pod subnet", () -> draft.podSubnet, v -> draft.podSubnet = v);
        text("network.serviceSubnet", "Service subnet", () -> draft.serviceSubnet, v -> draft.serviceSubnet = v);
        text("network.dnsDomain", "DNS domain", () -> draft.dnsDomain, v -> draft.dnsDomain = v);
        choice("network.proxyMode", "Proxy mode", ProxyMode.class, () -> draft.proxyMode, v -> draft.proxyMode = v);
        choice("network.cni", "CNI", Cni.class, () -> draft.cni, v -> draft.cni = v);
        if (draft.cni == Cni.FLANNEL) {
            choice("network.flannelBackend", "Flannel backend", FlannelBackend.class, () -> draft.flannelBackend,
                    v -> draft.flannelBackend = v);
            text("network.flannelManifest", "Flannel manifest file (- to download)", () -> draft.flannelManifest,
                    v -> draft.flannelManifest = v.equals("-") ? "" : v);
        }
        autosave();
    }

    /** One step, so that going back from the add-ons passes an etcd that asks nothing (stacked). */
    private void etcdAndAddons() {
        if (draft.hosts.stream().anyMatch(h -> h.has(Role.ETCD))) {
            section("External etcd");
            text("etcd.version", "etcd version", () -> draft.etcdVersion, v -> draft.etcdVersion = v);
            choice("etcd.install", "Install etcd from", EtcdInstall.class, () -> draft.etcdInstall,
                    v -> draft.etcdInstall = v);
            if (draft.etcdInstall == EtcdInstall.ARCHIVE) {
                text("etcd.archive", "etcd release archive on this jump host (etcd-v" + draft.etcdVersion
                        + "-linux-amd64.tar.gz; - to download it)", () -> draft.etcdArchive,
                        v -> draft.etcdArchive = v.equals("-") ? "" : v);
                text("etcd.archiveSha256", "Archive SHA-256 (- for kubeha's checksum table, or SHA256SUMS beside"
                                + " the archive)",
                        () -> draft.etcdArchiveSha256, v -> draft.etcdArchiveSha256 = v.equals("-") ? "" : v);
            }
            text("etcd.dataDir", "etcd data directory", () -> draft.etcdDataDir, v -> draft.etcdDataDir = v);
            text("etcd.certDir", "etcd certificate directory", () -> draft.etcdCertDir, v -> draft.etcdCertDir = v);
            choice("etcd.keyAlgorithm", "Key algorithm", KeyAlgorithm.class, () -> draft.keyAlgorithm,
                    v -> draft.keyAlgorithm = v);
            text("etcd.certificateValidityDays", "Certificate validity (days)", () -> draft.certificateValidityDays,
                    v -> draft.certificateValidityDays = v);
        }
        section("Add-ons");
        flag("addons.kubePrometheus", "Install kube-prometheus", () -> draft.kubePrometheus,
                v -> draft.kubePrometheus = v);
        autosave();
    }

    private int finish(Path target) {
        section("Review");
        CheckedAnswers checked = draft.check(today);
        report(checked.problems());
        try {
            Path file = Autosave.saveAs(target, draft);
            autosave();
            out.println((checked.hasErrors() ? "saved (with errors) to " : "saved to ") + file);
            out.flush();
            return checked.hasErrors() ? 1 : 0;
        } catch (IOException e) {
            out.println("could not save " + target + ": " + e.getMessage());
            out.flush();
            return 1;
        }
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
    }

    private void text(String path, String prompt, Supplier<String> get, Consumer<String> set) {
        ask(path, prompt, get, set, NullCompleter.INSTANCE);
    }

    /** Asks until the field has no error; warnings are shown and accepted. */
    private void ask(String path, String prompt, Supplier<String> get, Consumer<String> set, Completer completer) {
        while (true) {
            String before = get.get();
            String answer = read(prompt, before, completer);
            if (!answer.isEmpty()) {
                set.accept(answer);
            }
            if (accepted(path)) {
                return;
            }
            if (!answer.isEmpty()) {
                set.accept(before);
            }
        }
    }

    private boolean accepted(String path) {
        List<Problem> mine = problems(path);
        report(mine);
        return mine.stream().noneMatch(Problem::isError);
    }

    private <E extends Enum<E> & Choice> void choice(String path, String prompt, Class<E> type, Supplier<E> get,
                                                      Consumer<E> set) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Choice::yamlName).toList();
        while (true) {
            String answer = read(prompt + " (" + String.join(", ", names) + ")", get.get().yamlName(),
                    new StringsCompleter(names));
            if (answer.isEmpty()) {
                break;
            }
            List<Problem> errors = loaderErrors(path, answer);
            if (errors.isEmpty()) {
                set.accept(type.getEnumConstants()[names.indexOf(answer)]);
                break;
            }
            report(errors);
        }
        report(problems(path));
    }

    private void flag(String path, String prompt, Supplier<Boolean> get, Consumer<Boolean> set) {
        while (true) {
            String answer = read(prompt + " (yes or no)", get.get() ? "yes" : "no",
                    new StringsCompleter("yes", "no"));
            if (answer.isEmpty()) {
                break;
            }
            String value = switch (answer.toLowerCase(Locale.ROOT)) {
                case "y", "yes" -> "true";
                case "n", "no" -> "false";
                default -> answer;
            };
            List<Problem> errors = loaderErrors(path, value);
            if (errors.isEmpty()) {
                set.accept(value.equals("true"));
                break;
            }
            report(errors);
        }
        report(problems(path));
    }

    private boolean yes(String prompt, boolean fallback) {
        String answer = read(prompt + " (yes or no)", fallback ? "yes" : "no", new StringsCompleter("yes", "no"));
        return answer.isEmpty() ? fallback : answer.toLowerCase(Locale.ROOT).startsWith("y");
    }

    /** What the answers-file loader says about one value written at a field path of the draft. */
    private List<Problem> loaderErrors(String path, String value) {
        return AnswersFile.parse("answer", AnswersWriter.toYaml(draft.text().with(path, value))).problems().stream()
                .filter(p -> p.path().equals(path) && p.isError()).toList();
    }

    private List<Problem> problems(String path) {
        return Draft.at(draft.check(today).problems(), path);
    }

    private void report(List<Problem> problems) {
        for (Problem p : problems) {
            out.println("  " + Layout.mark(p) + p.severity().label() + ": " + p.text());
        }
        out.flush();
    }

    private String read(String prompt, String current, Completer completer) {
        try {
            String shown = current.isEmpty() ? "" : " [" + current + "]";
            reader.setVariable(LineReader.DISABLE_COMPLETION, false);
            ((LineReaderImpl) reader).setCompleter(completer);
            while (true) {
                String line = reader.readLine(prompt + shown + ": ");
                if (echo) {
                    out.println(line);
                }
                String answer = line == null ? "" : line.strip();
                if (answer.indexOf(INTERRUPT) >= 0) {
                    throw new Stopped(true);
                }
                switch (answer) {
                    case "help" -> out.println("  " + COMMANDS);
                    case "show" -> out.print(draft.toYaml().indent(2));
                    case "back" -> throw new Back();
                    default -> {
                        asked++;
                        return answer;
                    }
                }
                out.flush();
            }
        } catch (EndOfFileException e) {
            throw new Stopped(false);
        } catch (UserInterruptException e) {
            throw new Stopped(true);
        }
    }

    /** Checks a host as soon as it is answered, with the same probe and verdicts as the full screen. */
    private void check(int index) {
        if (probe.isEmpty()) {
            return;
        }
        Optional<ClusterSpec> spec = draft.load().spec();
        if (spec.isEmpty() || index >= spec.get().hosts().size()
                || IpLiteral.parse(spec.get().hosts().get(index).address()).isEmpty()) {
            return;
        }
        HostSpec host = spec.get().hosts().get(index);
        try {
            ProbeTarget target = ProbeTarget.of(host, spec.get(), stateHome.clusterDir(spec.get().cluster().name()),
                    Path.of(System.getProperty("user.home")));
            out.println("  checking " + host.name() + " at " + target.ssh().where() + " ...");
            out.flush();
            ProbeReport report = probe.get().probe(target);
            List<LiveChecks.Input> inputs = new ArrayList<>();
            for (int i = 0; i < spec.get().hosts().size(); i++) {
                inputs.add(i == index ? new LiveChecks.Input(Optional.of(target),
                        Optional.of(new ProbeStatus.Done<>(report)))
                        : new LiveChecks.Input(Optional.empty(), Optional.empty()));
            }
            LiveChecks.Row row = LiveChecks.of(spec.get(), inputs, true).row(index);
            out.println("  " + (row.tone() == LiveChecks.Tone.BAD ? Layout.ERROR : row.tone()
                    == LiveChecks.Tone.WARNING ? Layout.WARNING : "") + host.name() + ": " + row.compact());
            row.details().forEach(d -> out.println("    " + d));
        } catch (IllegalArgumentException e) {
            out.println("  " + host.name() + " is not checked: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped(true);
        }
        out.flush();
    }

    private Optional<Path> autosave() {
        try {
            return Optional.of(autosave.autosave(draft));
        } catch (IOException e) {
            out.println("autosave failed: " + e.getMessage());
            return Optional.empty();
        }
    }
}
