package dev.kubeha.tui;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.exec.Cancellation;
import dev.kubeha.exec.FailureHandler;
import dev.kubeha.plan.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Asks the operator about a failed step (retry, skip step, abort) in a prompt window, one prompt at a time. */
final class FailurePrompts implements FailureHandler {
    static final int MAX_ERROR_LINES = 8;

    private record Prompt(Step step, String error, CompletableFuture<Decision> answer) {
    }

    private final WindowBasedTextGUI gui;
    private final Palette palette;
    private final Cancellation cancellation;
    private final Runnable cancel;
    private final ArrayDeque<Prompt> waiting = new ArrayDeque<>();
    private Prompt shown;
    private Window window;

    /** {@code cancel} runs on Ctrl-C in a prompt, as it does on the screen below. */
    FailurePrompts(WindowBasedTextGUI gui, Palette palette, Cancellation cancellation, Runnable cancel) {
        this.gui = gui;
        this.cancel = cancel;
        this.palette = palette;
        this.cancellation = cancellation;
    }

    /** Blocks the failing host's worker until the operator answers on the GUI thread; abort once cancelled. */
    @Override
    public Decision decide(Step step, String error) {
        if (cancellation.requested()) {
            return Decision.ABORT;
        }
        CompletableFuture<Decision> answer = new CompletableFuture<>();
        gui.getGUIThread().invokeLater(() -> enqueue(new Prompt(step, error, answer)));
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancellation.request();
            return Decision.ABORT;
        } catch (ExecutionException e) {
            return Decision.ABORT;
        }
    }

    private void enqueue(Prompt prompt) {
        if (cancellation.requested()) {
            prompt.answer().complete(Decision.ABORT);
            return;
        }
        waiting.addLast(prompt);
        showNext();
    }

    /** Answers every open and queued prompt with abort; runs on the GUI thread. */
    void abortAll() {
        if (shown != null) {
            answer(Decision.ABORT);
        }
        while (!waiting.isEmpty()) {
            waiting.removeFirst().answer().complete(Decision.ABORT);
        }
    }

    private void showNext() {
        if (shown != null || waiting.isEmpty()) {
            return;
        }
        shown = waiting.removeFirst();
        int width = Math.max(30, Math.min(72, gui.getScreen().getTerminalSize().getColumns() - 8));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
        body.addComponent(new Label(Layout.cut(shown.step().title() + " (" + shown.step().id() + ")", width)));
        body.addComponent(new Label(""));
        Label error = new Label(String.join("\n", wrap(shown.error(), width)));
        error.setForegroundColor(palette.error());
        body.addComponent(error);
        body.addComponent(new Label(""));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        Button retry = new Button("Retry", () -> answer(Decision.RETRY));
        buttons.addComponent(retry);
        buttons.addComponent(new Button("Skip step", () -> answer(Decision.SKIP)));
        buttons.addComponent(new Button("Abort", () -> answer(Decision.ABORT)));
        body.addComponent(buttons);
        body.addComponent(new Label(Layout.cut("r retry  s skip (runs again next time)  a abort"
                + (waiting.isEmpty() ? "" : "  (" + waiting.size() + " more waiting)"), width)));
        window = new BasicWindow("Step failed on " + shown.step().host());
        window.setHints(List.of(Window.Hint.CENTERED, Window.Hint.MODAL));
        window.setTheme(palette.theme());
        window.setComponent(body);
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window basePane, KeyStroke key, AtomicBoolean deliverEvent) {
                if (key.getKeyType() != KeyType.Character) {
                    return;
                }
                if (key.isCtrlDown()) {
                    if (key.getCharacter() == 'c') {
                        deliverEvent.set(false);
                        cancel.run();
                    }
                    return;
                }
                Decision d = switch (Character.toLowerCase(key.getCharacter())) {
                    case 'r' -> Decision.RETRY;
                    case 's' -> Decision.SKIP;
                    case 'a' -> Decision.ABORT;
                    default -> null;
                };
                if (d != null) {
                    deliverEvent.set(false);
                    answer(d);
                }
            }
        });
        gui.addWindow(window);
        retry.takeFocus();
    }

    private void answer(Decision decision) {
        Prompt answered = shown;
        shown = null;
        window.close();
        window = null;
        answered.answer().complete(decision);
        showNext();
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n")) {
            String rest = paragraph.strip();
            while (rest.length() > width) {
                int cut = rest.lastIndexOf(' ', width);
                cut = cut <= width / 2 ? width : cut;
                lines.add(rest.substring(0, cut).stripTrailing());
                rest = rest.substring(cut).strip();
            }
            lines.add(rest);
        }
        if (lines.size() > MAX_ERROR_LINES) {
            List<String> kept = new ArrayList<>(lines.subList(lines.size() - MAX_ERROR_LINES + 1, lines.size()));
            kept.addFirst("… (the node's log has all of it)");
            return kept;
        }
        return lines;
    }
}
