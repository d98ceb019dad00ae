package dev.kubeha.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.bundle.LanternaThemes;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;
import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.LoadedAnswers;
import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleException;
import dev.kubeha.progress.Tty;
import dev.kubeha.state.StateHome;
import dev.kubeha.tui.probe.LiveProbes;
import dev.kubeha.validate.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;

/** Starts the full-screen wizard, or line mode when asked or when the terminal cannot do full screen. */
public final class Tui {
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** Where the wizard unpacks --bundle, under the state root. */
    static final String BUNDLE_DIR = "bundles/wizard";

    private Tui() {
    }

    public static int run(TuiOptions options, PrintWriter out, PrintWriter err, LocalDate today,
                          Map<String, String> env) {
        boolean fullScreen = !options.plain() && fullScreenCapable(env);
        EarlyTerminal early = null;
        if (fullScreen) {
            // Lanterna reads its themes from its jar when the class initialises (~30 ms): done while the rest starts.
            Thread.ofPlatform().daemon().name("kubeha-themes").start(LanternaThemes::getDefaultTheme);
            if (options.answers().isEmpty()) {
                early = new EarlyTerminal();
            }
        }
        try {
            return run(options, fullScreen, early, out, err, today, env);
        } finally {
            if (early != null) {
                early.closeUnlessTaken();
            }
        }
    }

    /**
     * The wizard's terminal, taken on a thread of its own while the wizard's state is set up: taking it starts a child
     * process (stty, 20-30 ms of the first frame otherwise). Given back as it was if the wizard never takes it.
     */
    private static final class EarlyTerminal {
        private final FutureTask<UnixTerminal> opening = new FutureTask<>(Tui::openTerminal);
        private boolean taken;

        EarlyTerminal() {
            Thread.ofPlatform().daemon().name("kubeha-terminal").start(opening);
        }

        UnixTerminal take() throws IOException {
            taken = true;
            try {
                return opening.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while taking the terminal", e);
            }
        }

        void closeUnlessTaken() {
            if (taken) {
                return;
            }
            try {
                opening.get().close();
            } catch (ExecutionException | IOException ignored) {
                // nothing was taken, or it cannot be given back: the error that ended the run is the one to report
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int run(TuiOptions options, boolean fullScreen, EarlyTerminal early, PrintWriter out,
                           PrintWriter err, LocalDate today, Map<String, String> env) {
        Draft draft = Draft.defaults();
        if (options.answers().isPresent()) {
            LoadedAnswers loaded = AnswersFile.load(options.answers().get());
            if (loaded.spec().isEmpty()) {
                loaded.problems().forEach(p -> err.println("kubeha: " + loaded.source() + ": " + p.text()));
                err.flush();
                return 1;
            }
            for (Problem p : loaded.problems()) {
                if (p.isError()) {
                    err.println("kubeha: " + loaded.source() + ": " + p.text() + " (the default is used instead)");
                }
            }
            draft = Draft.from(loaded.spec().get());
        }
        StateHome home = StateHome.resolve(options.stateDir().orElse(null), env);
        home.ensure();
        Optional<WizardSettings.WizardBundle> bundle = Optional.empty();
        if (options.bundle().isPresent()) {
            Path file = options.bundle().get();
            if (!fullScreen) {
                err.println("kubeha: --bundle needs the full-screen wizard; in line mode save the answers, then: kubeha"
                        + " apply -f FILE --bundle " + file);
                err.flush();
                return 2;
            }
            out.println("kubeha: checking the bundle " + file);
            out.flush();
            try {
                bundle = Optional.of(new WizardSettings.WizardBundle(file, Bundle.open(file,
                        home.root().resolve(BUNDLE_DIR))));
            } catch (BundleException e) {
                err.println("kubeha: " + e.getMessage() + "; nothing was touched");
                err.flush();
                return 1;
            }
        }
        WizardSettings settings = new WizardSettings(today, Palette.fromEnvironment(env), home,
                options.answersOut().or(options::answers),
                options.noProbe() ? Optional.empty() : Optional.of(LiveProbes.standard(PROBE_TIMEOUT)), bundle);
        try {
            if (options.answers().isPresent() && fullScreen) {
                Optional<ClusterFlow> installed = ClusterFlow.forInstalled(options.answers().get(), home, today, env,
                        out);
                if (installed.isPresent()) {
                    return installed.get().run();
                }
            }
            if (!fullScreen) {
                return plain(draft, Resume.find(settings.stateHome(), options.answers(), draft), settings, System.in,
                        System.out);
            }
            return fullScreen(early != null ? early.take() : openTerminal(), draft, options.answers(), settings, out, err);
        } catch (IOException e) {
            err.println("kubeha: cannot use the terminal: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            bundle.ifPresent(b -> b.opened().discard());
        }
    }

    /** Line mode on the given streams: the system terminal when stdin is one, a dumb terminal otherwise. */
    static int plain(Draft draft, WizardSettings settings, InputStream in, OutputStream out) throws IOException {
        return plain(draft, Optional.empty(), settings, in, out);
    }

    /** Line mode that first offers an autosave back, when there is one worth resuming. */
    static int plain(Draft draft, Optional<Resume.Offer> offer, WizardSettings settings, InputStream in,
                     OutputStream out) throws IOException {
        boolean tty = in == System.in && Tty.of(0).orElse(false) && Tty.of(1).orElse(false);
        Terminal terminal = tty ? TerminalBuilder.builder().name("kubeha").encoding(StandardCharsets.UTF_8)
                .system(true).build()
                : new DumbTerminal("kubeha", Terminal.TYPE_DUMB, in, out, StandardCharsets.UTF_8);
        try (terminal) {
            Path history = settings.stateHome().privateFile(StateHome.LINE_MODE_HISTORY);
            LineMode mode = new LineMode(terminal, draft, settings.today(), new Autosave(settings.stateHome()),
                    history, !tty, settings.probe().map(LiveProbes::hosts),
                    settings.stateHome());
            return mode.run(offer, settings::saveTarget);
        }
    }

    private static UnixTerminal openTerminal() throws IOException {
        return new QuickUnixTerminal(System.in, System.out, StandardCharsets.UTF_8);
    }

    private static int fullScreen(UnixTerminal terminal, Draft loaded, Optional<Path> answers,
                                  WizardSettings settings, PrintWriter out, PrintWriter err) throws IOException {
        TerminalScreen screen = new TerminalScreen(terminal);
        screen.startScreen();
        Wizard wizard = null;
        Thread hook = null;
        try {
            MultiWindowTextGUI gui = new MultiWindowTextGUI(screen, new DefaultWindowManager(),
                    new EmptySpace(TextColor.ANSI.DEFAULT));
            Draft draft = loaded;
            Optional<Resume.Offer> offer = Resume.find(settings.stateHome(), answers, loaded);
            if (offer.isPresent()) {
                AtomicReference<Draft> chosen = new AtomicReference<>(Draft.from(offer.get().spec()));
                gui.waitForWindowToClose(Resume.ask(gui, settings.palette(), offer.get(), () -> { },
                        () -> chosen.set(loaded)));
                draft = chosen.get();
            }
            wizard = new Wizard(gui, draft, settings);
            wizard.savedIs(loaded);
            Wizard running = wizard;
            hook = new Thread(running::autosaveNow, "kubeha-autosave");
            Runtime.getRuntime().addShutdownHook(hook);
            wizard.run();
        } catch (RuntimeException e) {
            if (wizard != null) {
                wizard.autosaveNow();
            }
            throw e;
        } finally {
            if (hook != null) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            if (wizard != null) {
                wizard.close();
            }
            screen.stopScreen();
        }
        out.println("kubeha: " + wizard.notice());
        wizard.lastAutosave().ifPresent(f -> out.println("kubeha: " + Resume.command(f)));
        out.flush();
        if (wizard.installRequested().isPresent()) {
            return InstallFlow.run(wizard.installRequested().get(), settings, out, err);
        }
        return wizard.quitUnsaved() ? 1 : 0;
    }

    /** Full screen needs a real terminal on stdin and stdout and a TERM that is not dumb. */
    static boolean fullScreenCapable(Map<String, String> env) {
        String term = env.get("TERM");
        return term != null && !term.isBlank() && !term.equals("dumb") && Tty.of(0).orElse(false)
                && Tty.of(1).orElse(false);
    }
}
