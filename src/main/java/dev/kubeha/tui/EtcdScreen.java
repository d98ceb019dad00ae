package dev.kubeha.tui;

import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.model.Choice;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.model.Role;
import java.util.List;

/** The external etcd cluster: its version, where it is installed from, its directories and its certificates. */
final class EtcdScreen extends FormScreen {
    private final Panel body = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
    private final Label topology;
    private final TextBox archive;
    private final TextBox archiveSha256;

    EtcdScreen(Draft draft, Palette palette, Runnable changed) {
        super(draft, palette, changed);
        topology = form.note("");
        form.note("");
        form.text("etcd version", "etcd.version", draft.etcdVersion, v -> draft.etcdVersion = v);
        form.choice("Install from", "etcd.install", List.of(EtcdInstall.values()), draft.etcdInstall,
                Choice::yamlName, v -> draft.etcdInstall = v);
        archive = form.text("Release archive", "etcd.archive", draft.etcdArchive, v -> draft.etcdArchive = v);
        archiveSha256 = form.text("Archive SHA-256", "etcd.archiveSha256", draft.etcdArchiveSha256,
                v -> draft.etcdArchiveSha256 = v);
        form.text("Data directory", "etcd.dataDir", draft.etcdDataDir, v -> draft.etcdDataDir = v);
        form.text("Certificate dir", "etcd.certDir", draft.etcdCertDir, v -> draft.etcdCertDir = v);
        form.choice("Key algorithm", "etcd.keyAlgorithm", List.of(KeyAlgorithm.values()), draft.keyAlgorithm,
                Choice::yamlName, v -> draft.keyAlgorithm = v);
        form.number("Certificate days", "etcd.certificateValidityDays", draft.certificateValidityDays,
                v -> draft.certificateValidityDays = v);
        form.text("Snapshot schedule", "etcd.backup.schedule", draft.etcdBackupSchedule,
                v -> draft.etcdBackupSchedule = v);
        form.number("Snapshots kept", "etcd.backup.keep", draft.etcdBackupKeep, v -> draft.etcdBackupKeep = v);
        body.addComponent(form.panel());
        body.addComponent(new Label(""));
        body.addComponent(new Label(" archive: an empty archive is downloaded from etcd's releases and checked"));
        body.addComponent(new Label(" against kubeha's checksum table; a local one against SHA256SUMS beside it."));
        body.addComponent(new Label(" package: the distribution's etcd package."));
        body.addComponent(new Label(" snapshot schedule: systemd OnCalendar (daily, Mon..Fri 03:00); empty: none."));
    }

    @Override
    public Component body() {
        return body;
    }

    @Override
    public void refresh(CheckedAnswers checked, int columns, int rows) {
        topology.setText(Layout.cut(topology(draft), columns - 2));
        boolean fromArchive = draft.etcdInstall == EtcdInstall.ARCHIVE;
        archive.setEnabled(fromArchive);
        archiveSha256.setEnabled(fromArchive);
        super.refresh(checked, columns, rows);
    }

    /** Whether these settings are used: only an external etcd cluster, on the hosts with the etcd role, reads them. */
    static String topology(Draft draft) {
        List<String> members = draft.hosts.stream().filter(h -> h.has(Role.ETCD)).map(h -> h.name).toList();
        return members.isEmpty()
                ? "Stacked etcd on the control planes; these apply once hosts have the etcd role."
                : "External etcd on " + members.size() + " host" + (members.size() == 1 ? "" : "s") + ": "
                        + String.join(", ", members);
    }
}
