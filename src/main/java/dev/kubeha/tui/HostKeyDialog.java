package dev.kubeha.tui;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import dev.kubeha.ssh.HostKeyPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The question about a host key, over the wizard: an unknown key shows its host, type and fingerprint with Reject
 * (focused) and Trust; a changed key is never offered for trust, only explained. Not modal on the calling thread, so
 * the GUI keeps running; the answer arrives through the callback.
 */
final class HostKeyDialog {
    static final String UNKNOWN_TITLE = "Unknown host key";
    static final String CHANGED_TITLE = "HOST KEY CHANGED";

    private HostKeyDialog() {
    }

    /** Asks whether to trust an unknown key; {@code trust} runs only when the operator chooses Trust. */
    static Window unknown(WindowBasedTextGUI gui, Palette palette, String host, HostKeyPolicy.UnknownKey key,
                          String knownHosts, Runnable trust) {
        BasicWindow window = window(palette, UNKNOWN_TITLE);
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
        body.addComponent(new Label(host + " presents a host key that no known_hosts file lists:"));
        body.addComponent(new Label(""));
        body.addComponent(new Label("  host         " + key.host() + (key.port() == 22 ? "" : " port " + key.port())));
        body.addComponent(new Label("  key type     " + key.keyType()));
        body.addComponent(new Label("  fingerprint  " + key.fingerprint()));
        body.addComponent(new Label(""));
        body.addComponent(new Label("Compare it with the host's own, e.g. on its console:"));
        body.addComponent(new Label("  ssh-keygen -lf /etc/ssh/ssh_host_" + keyFile(key.keyType()) + "_key.pub"));
        body.addComponent(new Label("Trust records it for this wizard and the install in"));
        body.addComponent(new Label("  " + knownHosts));
        body.addComponent(new Label(""));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        Button reject = new Button("Reject", window::close);
        buttons.addComponent(reject);
        buttons.addComponent(new Button("Trust", () -> {
            window.close();
            trust.run();
        }));
        body.addComponent(buttons);
        window.setComponent(body);
        gui.addWindow(window);
        reject.takeFocus();
        return window;
    }

    /** Explains a changed key: refused, with what to do about it; there is nothing to trust here. */
    static Window changed(WindowBasedTextGUI gui, Palette palette, String host, String reason, String removeCommand) {
        BasicWindow window = window(palette, CHANGED_TITLE);
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
        Label warning = new Label("!! " + host + " presents a DIFFERENT host key than the one recorded !!");
        warning.setForegroundColor(palette.error());
        body.addComponent(warning);
        body.addComponent(new Label(""));
        int width = Math.max(40, gui.getScreen().getTerminalSize().getColumns() - 8);
        for (String line : wrap(reason, width)) {
            body.addComponent(new Label(line));
        }
        body.addComponent(new Label(""));
        body.addComponent(new Label("Someone may be intercepting the connection, or the host was reinstalled."));
        body.addComponent(new Label("kubeha will not connect. Only if you know the host was reinstalled, remove"));
        body.addComponent(new Label("the old entry, then press F5 to check again:"));
        for (String line : wrap(removeCommand, width)) {
            body.addComponent(new Label("  " + line));
        }
        body.addComponent(new Label(""));
        Button ok = new Button("Close", window::close);
        body.addComponent(ok);
        window.setComponent(body);
        gui.addWindow(window);
        ok.takeFocus();
        return window;
    }

    private static BasicWindow window(Palette palette, String title) {
        return Dialogs.window(palette, title);
    }

    /** ssh-ed25519 to ed25519, ecdsa-sha2-nistp256 to ecdsa, ssh-rsa to rsa: the host key file's name. */
    static String keyFile(String keyType) {
        if (keyType.contains("ed25519")) {
            return "ed25519";
        }
        if (keyType.startsWith("ecdsa")) {
            return "ecdsa";
        }
        return keyType.contains("rsa") ? "rsa" : "*";
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
