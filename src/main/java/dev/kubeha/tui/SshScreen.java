package dev.kubeha.tui;

import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.TextBox;
import java.util.List;

/** How the jump host logs in to every node: user, port, key file or agent, sudo and an optional bastion. */
final class SshScreen extends FormScreen {
    static final String KEY_FILE = "key file";
    static final String AGENT = "ssh-agent, else ask password";

    SshScreen(Draft draft, Palette palette, Runnable changed) {
        super(draft, palette, changed);
        form.text("User", "ssh.user", draft.sshUser, v -> draft.sshUser = v);
        form.number("Port", "ssh.port", draft.sshPort, v -> draft.sshPort = v);
        String[] keptKey = {draft.identityFile};
        TextBox[] key = new TextBox[1];
        ComboBox<String> auth = form.choice("Authentication", "ssh.auth", List.of(KEY_FILE, AGENT),
                draft.identityFile.isEmpty() ? AGENT : KEY_FILE, s -> s, choice -> {
                    boolean file = choice.equals(KEY_FILE);
                    key[0].setEnabled(file);
                    if (!file) {
                        keptKey[0] = key[0].getText();
                        key[0].setText("");
                    } else if (key[0].getText().isEmpty()) {
                        key[0].setText(keptKey[0].isEmpty() ? "~/.ssh/id_ed25519" : keptKey[0]);
                    }
                });
        key[0] = form.text("Key file", "ssh.identityFile", draft.identityFile, v -> draft.identityFile = v);
        key[0].setEnabled(auth.getSelectedItem().equals(KEY_FILE));
        form.flag("Sudo", "ssh.sudo", "run commands through sudo", draft.sudo, v -> draft.sudo = v);
        form.text("Bastion", "ssh.bastion", draft.bastion, v -> draft.bastion = v);
        form.note("");
        form.note("Passwords are never saved: kubeha asks at install time if the agent has no key.");
    }
}
