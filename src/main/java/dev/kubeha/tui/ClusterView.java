package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Borders;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.install.ClusterStatus;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Printable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The Cluster screen of an installed cluster: one pane per host (services, certificates' days left), the cluster's
 * pane (VIP holder, etcd members with the leader marked, nodes), refreshed by a read-only status pass every few
 * seconds; action keys ask their questions, then close the screen so the action can run full screen.
 */
final class ClusterView {
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final WindowBasedTextGUI gui;
    private final BasicWindow window;
    private final Map<String, Label> hostPanes = new LinkedHashMap<>();
    private final Label clusterPane = new Label("checking every host…");
    private final List<ClusterAction> actions;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private Optional<ClusterAction.Chosen> chosen = Optional.empty();

    ClusterView(WindowBasedTextGUI gui, ClusterSpec spec, List<ClusterAction> actions, Palette palette) {
        this.gui = gui;
        this.actions = List.copyOf(actions);
        window = new BasicWindow("kubeha: cluster " + spec.cluster().name());
        window.setHints(List.of(Window.Hint.FULL_SCREEN));
        window.setTheme(palette.theme());
        Panel root = new Panel(new LinearLayout(Direction.VERTICAL));
        root.addComponent(clusterPane.withBorder(Borders.singleLine("Cluster")));
        Panel hosts = new Panel(new GridLayout(3));
        for (HostSpec host : spec.hosts()) {
            Label pane = new Label("…");
            pane.setPreferredSize(new TerminalSize(34, 7));
            hostPanes.put(host.name(), pane);
            hosts.addComponent(pane.withBorder(Borders.singleLine(host.name())));
        }
        root.addComponent(hosts);
        StringBuilder keys = new StringBuilder();
        actions.forEach(a -> keys.append(a.key()).append(' ').append(a.label()).append("   "));
        root.addComponent(new Label(keys + "q quit   (refreshed every " + REFRESH.toSeconds() + " s)"));
        window.setComponent(root);
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window basePane, KeyStroke key, AtomicBoolean deliverEvent) {
                deliverEvent.set(!handle(key));
            }
        });
    }

    /** Shows the screen until the operator quits or agrees to an action; returns that action's run. */
    Optional<ClusterAction.Chosen> run(Supplier<ClusterStatus> pass) {
        Thread refresher = Thread.ofPlatform().name("kubeha-cluster-refresh").daemon().start(() -> {
            while (open.get()) {
                try {
                    ClusterStatus status = pass.get();
                    gui.getGUIThread().invokeLater(() -> show(status));
                    Thread.sleep(REFRESH);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    gui.getGUIThread().invokeLater(() -> clusterPane.setText("the status pass failed: "
                            + Printable.of(String.valueOf(e.getMessage()))));
                }
            }
        });
        gui.addWindowAndWait(window);
        open.set(false);
        refresher.interrupt();
        return chosen;
    }

    void show(ClusterStatus status) {
        clusterPane.setText(String.join("\n", ClusterPanes.cluster(status)));
        hostPanes.forEach((host, pane) -> pane.setText(String.join("\n", ClusterPanes.host(status, host))));
    }

    private boolean handle(KeyStroke key) {
        if (key.getKeyType() == KeyType.Escape || key.getKeyType() == KeyType.Character
                && (key.getCharacter() == 'q' || key.isCtrlDown() && key.getCharacter() == 'c')) {
            window.close();
            return true;
        }
        if (key.getKeyType() != KeyType.Character) {
            return false;
        }
        for (ClusterAction action : actions) {
            if (action.key() == key.getCharacter()) {
                action.ask().ask(gui).ifPresent(run -> {
                    chosen = Optional.of(new ClusterAction.Chosen(action.label(), run));
                    window.close();
                });
                return true;
            }
        }
        return false;
    }
}
